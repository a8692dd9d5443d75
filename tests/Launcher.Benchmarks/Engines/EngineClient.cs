using System.Net.Sockets;
using Launcher.Benchmarks.Harness;
using Launcher.Contracts;
using Launcher.Rpc;
using StreamJsonRpc;

namespace Launcher.Benchmarks.Engines;

/// <summary>One client connection of an engine, calling <c>bench/noop</c>.</summary>
internal sealed class EngineClient : IAsyncDisposable
{
    private readonly JsonRpcConnection? _ours;
    private readonly JsonRpc? _sjr;

    private EngineClient(JsonRpcConnection? ours, JsonRpc? sjr)
    {
        _ours = ours;
        _sjr = sjr;
    }

    public static async Task<EngineClient> ConnectAsync(EngineKind kind, string socketPath)
    {
        if (kind == EngineKind.Launcher)
        {
            return new EngineClient(await UnixRpc.ConnectAsync(socketPath).ConfigureAwait(false), null);
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath)).ConfigureAwait(false);
        var rpc = new JsonRpc(SjrServer.Handler(new NetworkStream(socket, ownsSocket: true), kind));
        rpc.StartListening();
        return new EngineClient(null, rpc);
    }

    public Task CallAsync() => _ours is not null
        ? _ours.InvokeAsync(BenchMethods.Noop, EmptyParams.Instance)
        : _sjr!.InvokeAsync<NoopResult>("bench/noop");

    public async ValueTask DisposeAsync()
    {
        if (_ours is not null)
        {
            await _ours.DisposeAsync().ConfigureAwait(false);
        }

        _sjr?.Dispose();
    }
}
