using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Launcher.Rpc.Tests.Support;

/// <summary>A pair of WebSockets over a real loopback TCP connection (RFC 6455 framing on both ends).</summary>
internal static class LoopbackWebSockets
{
    public static async Task<(WebSocket Server, WebSocket Client, Socket ClientSocket)> PairAsync(TimeSpan? serverKeepAlive = null, TimeSpan? serverKeepAliveTimeout = null)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Task<Socket> accept = listener.AcceptSocketAsync();
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        Socket server = await accept.WaitAsync(TimeSpan.FromSeconds(10));
        WebSocket serverSocket = WebSocket.CreateFromStream(new NetworkStream(server, ownsSocket: true), new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = serverKeepAlive ?? TimeSpan.Zero,
            KeepAliveTimeout = serverKeepAliveTimeout ?? Timeout.InfiniteTimeSpan,
        });
        WebSocket clientSocket = WebSocket.CreateFromStream(new NetworkStream(client, ownsSocket: true), new WebSocketCreationOptions
        {
            IsServer = false,
            KeepAliveInterval = TimeSpan.Zero,
        });
        return (serverSocket, clientSocket, client);
    }

    public static JsonRpcConnection Connect(WebSocket socket, RpcHandlerTable? handlers, RpcLimits? limits = null, string name = "ws")
    {
        var connection = new JsonRpcConnection(new WebSocketTransport(socket, limits ?? RpcLimits.Default), handlers, limits) { Name = name };
        connection.Start();
        return connection;
    }
}
