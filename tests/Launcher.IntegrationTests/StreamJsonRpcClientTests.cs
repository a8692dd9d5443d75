using System.Net.Sockets;
using System.Text.Json;
using StreamJsonRpc;

namespace Launcher.IntegrationTests;

/// <summary>
/// StreamJsonRpc (header-delimited, System.Text.Json) as a client of the real launcherd: a third-party JSON-RPC
/// library speaks the local API as documented in docs/protocol.md, and the daemon's permission checks hold for it.
/// </summary>
public sealed class StreamJsonRpcClientTests
{
    [RootFact(Timeout = 60000)]
    public async Task StreamJsonRpc_CallsLauncherd_StatusIdentityAndDenials()
    {
        // Arrange
        await using var sandbox = new Sandbox();
        await sandbox.StartDaemonReadyAsync("--key-store", "software");
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(sandbox.SocketPath));
        var stream = new NetworkStream(socket, ownsSocket: true);
        using var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(stream, stream, new SystemTextJsonFormatter()));
        rpc.StartListening();

        // Act
        JsonElement status = await rpc.InvokeWithParameterObjectAsync<JsonElement>("daemon/status", new { });
        JsonElement identity = await rpc.InvokeWithParameterObjectAsync<JsonElement>("identity/get", new { });
        // StreamJsonRpc raises -32602 as RemoteMethodNotFoundException (it reads "invalid params" as "no overload").
        var invalid = await Assert.ThrowsAnyAsync<RemoteRpcException>(() =>
            rpc.InvokeWithParameterObjectAsync<JsonElement>("identity/prove", new { audience = "", nonce = "x" }));
        var unknown = await Assert.ThrowsAnyAsync<RemoteRpcException>(() =>
            rpc.InvokeWithParameterObjectAsync<JsonElement>("no/such", new { }));

        // Assert
        Assert.False(string.IsNullOrEmpty(status.GetProperty("version").GetString()));
        Assert.Equal("software", identity.GetProperty("keyClass").GetString());
        Assert.Equal("ready", identity.GetProperty("state").GetString());
        Assert.Equal(-32602, (int?)invalid.ErrorCode);
        Assert.Contains("audience", invalid.Message, StringComparison.Ordinal);
        Assert.Equal(-32601, (int?)unknown.ErrorCode);
    }
}
