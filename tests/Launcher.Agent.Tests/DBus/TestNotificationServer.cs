using System.Threading.Channels;
using Tmds.DBus.Protocol;

namespace Launcher.Agent.Tests.DBus;

/// <summary>
/// A notification server for tests: owns <c>org.freedesktop.Notifications</c> on a test bus, records every
/// <c>Notify</c> it is asked for, answers with increasing ids, and emits <c>ActionInvoked</c> and
/// <c>NotificationClosed</c> when a test says so (as a desktop does when the user clicks or dismisses).
/// </summary>
internal sealed class TestNotificationServer : IPathMethodHandler, IAsyncDisposable
{
    private const string Interface = "org.freedesktop.Notifications";
    private readonly DBusConnection _connection;
    private readonly string[] _capabilities;
    private readonly Channel<ReceivedNotification> _received = Channel.CreateUnbounded<ReceivedNotification>();
    private uint _nextId;

    private TestNotificationServer(DBusConnection connection, string[] capabilities)
    {
        _connection = connection;
        _capabilities = capabilities;
    }

    public string Path => "/org/freedesktop/Notifications";

    public bool HandlesChildPaths => false;

    /// <summary>When set, ActionInvoked with this key is emitted before the Notify reply (a fast or racing server).</summary>
    public string? InvokeBeforeReply { get; set; }

    /// <summary>Every Notify so far, in order.</summary>
    public List<ReceivedNotification> All { get; } = [];

    public static async Task<TestNotificationServer> StartAsync(string address, params string[] capabilities)
    {
        var connection = new DBusConnection(address);
        await connection.ConnectAsync();
        var server = new TestNotificationServer(connection, capabilities.Length == 0 ? ["actions", "body", "body-markup"] : capabilities);
        connection.AddMethodHandler(server);
        await connection.RequestNameAsync(Interface);
        return server;
    }

    /// <summary>The next Notify this server receives (bounded wait).</summary>
    public async Task<ReceivedNotification> NextAsync(TimeSpan? timeout = null) =>
        await _received.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(15));

    /// <summary>The user clicked the notification (<c>default</c>) or one of its buttons.</summary>
    public void InvokeAction(uint id, string key)
    {
        using MessageWriter writer = _connection.GetMessageWriter();
        writer.WriteSignalHeader(null, Path, Interface, "ActionInvoked", "us");
        writer.WriteUInt32(id);
        writer.WriteString(key);
        _connection.TrySendMessage(writer.CreateMessage());
    }

    /// <summary>The notification went away: 1 expired, 2 dismissed by the user, 3 closed by a call, 4 undefined.</summary>
    public void Close(uint id, uint reason)
    {
        using MessageWriter writer = _connection.GetMessageWriter();
        writer.WriteSignalHeader(null, Path, Interface, "NotificationClosed", "uu");
        writer.WriteUInt32(id);
        writer.WriteUInt32(reason);
        _connection.TrySendMessage(writer.CreateMessage());
    }

    public ValueTask HandleMethodAsync(MethodContext context)
    {
        Message request = context.Request;
        if (request.InterfaceAsString != Interface)
        {
            return default;
        }

        switch ((request.MemberAsString, request.SignatureAsString))
        {
            case ("GetCapabilities", _):
            {
                using MessageWriter writer = context.CreateReplyWriter("as");
                writer.WriteArray(_capabilities);
                context.Reply(writer.CreateMessage());
                break;
            }

            case ("GetServerInformation", _):
            {
                using MessageWriter writer = context.CreateReplyWriter("ssss");
                writer.WriteString("launcher-test-server");
                writer.WriteString("launcher");
                writer.WriteString("1.0");
                writer.WriteString("1.2");
                context.Reply(writer.CreateMessage());
                break;
            }

            case ("Notify", "susssasa{sv}i"):
            {
                Reader reader = request.GetBodyReader();
                string appName = reader.ReadString();
                uint replaces = reader.ReadUInt32();
                string icon = reader.ReadString();
                string summary = reader.ReadString();
                string body = reader.ReadString();
                string[] actions = reader.ReadArrayOfString();
                var hints = new Dictionary<string, string>(StringComparer.Ordinal);
                ArrayEnd end = reader.ReadDictionaryStart();
                while (reader.HasNext(end))
                {
                    string key = reader.ReadString();
                    VariantValue value = reader.ReadVariantValue();
                    hints[key] = value.Type switch
                    {
                        VariantValueType.String => value.GetString(),
                        VariantValueType.Byte => value.GetByte().ToString(System.Globalization.CultureInfo.InvariantCulture),
                        _ => value.ToString(),
                    };
                }

                int timeout = reader.ReadInt32();
                uint id = Interlocked.Increment(ref _nextId);
                var received = new ReceivedNotification(id, appName, replaces, icon, summary, body, actions, hints, timeout);
                lock (All)
                {
                    All.Add(received);
                }

                if (InvokeBeforeReply is string early)
                {
                    InvokeAction(id, early);
                }

                using MessageWriter writer = context.CreateReplyWriter("u");
                writer.WriteUInt32(id);
                context.Reply(writer.CreateMessage());
                _received.Writer.TryWrite(received);
                break;
            }

            case ("CloseNotification", "u"):
            {
                uint id = request.GetBodyReader().ReadUInt32();
                using MessageWriter writer = context.CreateReplyWriter(null);
                context.Reply(writer.CreateMessage());
                Close(id, 3);
                break;
            }
        }

        return default;
    }

    public ValueTask DisposeAsync()
    {
        _connection.Dispose();
        return default;
    }
}
