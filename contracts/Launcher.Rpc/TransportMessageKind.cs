namespace Launcher.Rpc;

/// <summary>What a transport read produced.</summary>
public enum TransportMessageKind
{
    /// <summary>A complete message body.</summary>
    Message,

    /// <summary>The peer closed the connection cleanly between messages.</summary>
    End,

    /// <summary>The framing is broken or over a limit: the connection cannot continue.</summary>
    FramingError,
}
