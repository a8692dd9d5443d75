using Microsoft.Extensions.Logging;

namespace Launcher.Rpc;

/// <summary>Every log message of the engine. Event ids 1-99 belong to Launcher.Rpc and are never reused.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Connection}: closed ({Reason})")]
    public static partial void ConnectionClosed(ILogger logger, string connection, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{Connection}: broken framing, closing: {Reason}")]
    public static partial void FramingBroken(ILogger logger, string connection, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "{Connection}: bad message answered with {Code}: {Reason}")]
    public static partial void BadMessage(ILogger logger, string connection, int code, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "{Connection}: {Method} failed; incident {Incident} answered as an internal error")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string connection, string method, string incident);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "{Connection}: response for unknown id {Id} ignored")]
    public static partial void UnknownResponse(ILogger logger, string connection, string id);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "{Connection}: notification {Method} failed")]
    public static partial void NotificationFailed(ILogger logger, Exception exception, string connection, string method);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "{Connection}: closing: {Reason}")]
    public static partial void ClosingForLimit(ILogger logger, string connection, string reason);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "{Connection}: write failed: {Reason}")]
    public static partial void WriteFailed(ILogger logger, string connection, string reason);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "{Connection}: notification {Method} dropped without an answer ({Code}): {Reason}")]
    public static partial void NotificationDropped(ILogger logger, string connection, string method, int code, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "{Connection}: a cancellation callback threw")]
    public static partial void CancellationCallbackFailed(ILogger logger, Exception exception, string connection);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "{Connection}: the transport failed unexpectedly")]
    public static partial void ReadLoopFailed(ILogger logger, Exception exception, string connection);

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Suppressed {Count} log messages caused by {Peer} in the last {Seconds} s")]
    public static partial void PeerLogSuppressed(ILogger logger, long count, string peer, double seconds);
}
