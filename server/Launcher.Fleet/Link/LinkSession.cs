using System.Net.WebSockets;
using Launcher.Rpc;

namespace Launcher.Fleet.Link;

/// <summary>One machine's WebSocket on this instance: unauthenticated until fleet/enroll or fleet/authenticate succeeds.</summary>
internal sealed class LinkSession
{
    private string? _machineId;
    private int _deliveryWanted;

    public LinkSession(string connectionId, string channelBinding, WebSocketTransport transport, JsonRpcConnection connection, string remote, int maxChallenges)
    {
        ConnectionId = connectionId;
        Nonces = new ChallengeNonces(maxChallenges);
        ChannelBinding = channelBinding;
        Transport = transport;
        Connection = connection;
        Remote = remote;
    }

    public string ConnectionId { get; }

    /// <summary>base64url SHA-256 of the certificate the server presented on this connection.</summary>
    public string ChannelBinding { get; }

    public WebSocketTransport Transport { get; }

    public JsonRpcConnection Connection { get; }

    /// <summary>The fleet/challenge nonces issued on this connection.</summary>
    public ChallengeNonces Nonces { get; }

    /// <summary>The peer's address, for logs.</summary>
    public string Remote { get; }

    /// <summary>The authenticated machine; null before authentication.</summary>
    public string? MachineId => Volatile.Read(ref _machineId);

    public bool IsAuthenticated => MachineId is not null;

    /// <summary>The enrolment waiting for its credential-activation answer on this connection; taken once
    /// (with <see cref="Interlocked.Exchange{T}(ref T, T)"/>).</summary>
#pragma warning disable CA1051, SA1401 // a field, for Interlocked
    public Services.PendingEnrolment? PendingSlot;
#pragma warning restore CA1051, SA1401

    /// <summary>One delivery run at a time per connection.</summary>
    public SemaphoreSlim DeliveryLock { get; } = new(1, 1);

    /// <summary>True while someone asked for a delivery run that has not started yet.</summary>
    public bool WantsDelivery => Volatile.Read(ref _deliveryWanted) == 1;

    /// <summary>Asks for a delivery run: whoever holds <see cref="DeliveryLock"/> (or takes it next) reads the outbox again.</summary>
    public void RequestDelivery() => Volatile.Write(ref _deliveryWanted, 1);

    /// <summary>Takes the request for a delivery run; true when there was one.</summary>
    public bool TakeDeliveryRequest() => Interlocked.Exchange(ref _deliveryWanted, 0) == 1;

    /// <summary>Marks the connection authenticated; false when it already was.</summary>
    public bool TryAuthenticate(string machineId) => Interlocked.CompareExchange(ref _machineId, machineId, null) is null;

    /// <summary>
    /// Sends a close frame with <paramref name="status"/>; the peer's answer ends the connection through the read
    /// loop (a clean close). A peer that does not answer within the grace is cut off.
    /// </summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        await Transport.CloseOutputAsync(status, reason).ConfigureAwait(false);
        try
        {
            await Connection.Completion.WaitAsync(CloseGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Connection.Close(reason);
        }
    }

    private static TimeSpan CloseGrace => TimeSpan.FromSeconds(2);
}
