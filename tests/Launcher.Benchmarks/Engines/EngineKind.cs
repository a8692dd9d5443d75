namespace Launcher.Benchmarks.Engines;

/// <summary>The JSON-RPC stacks compared by the <c>rpc-engines</c> suite, all over the same Unix sockets.</summary>
internal enum EngineKind
{
    /// <summary>The project's engine (Launcher.Rpc): Content-Length framing, System.Text.Json source-generated.</summary>
    Launcher,

    /// <summary>StreamJsonRpc: HeaderDelimitedMessageHandler + SystemTextJsonFormatter (wire-compatible with ours).</summary>
    StreamJsonRpcJson,

    /// <summary>StreamJsonRpc: LengthHeaderMessageHandler + MessagePackFormatter (its fastest stack; not wire-compatible).</summary>
    StreamJsonRpcMessagePack,
}
