using System.Net.Sockets;
using Launcher.Rpc;

namespace Launcher.IntegrationTests;

/// <summary>A JSON-RPC client over the daemon's real Unix socket, as the test process's own uid (root).</summary>
internal static class TestClient
{
    public static async Task<JsonRpcConnection> ConnectAsync(string socketPath, RpcHandlerTable? handlers = null)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        var connection = new JsonRpcConnection(new HeaderDelimitedTransport(new NetworkStream(socket, ownsSocket: true), RpcLimits.Default), handlers);
        connection.Start();
        return connection;
    }
}
