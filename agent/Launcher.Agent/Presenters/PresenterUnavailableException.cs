namespace Launcher.Agent.Presenters;

/// <summary>The presenter cannot reach what shows notifications (bus, server, helper); the message is the reason
/// reported with outcome <c>failed</c>.</summary>
internal sealed class PresenterUnavailableException : Exception
{
    public PresenterUnavailableException()
    {
    }

    public PresenterUnavailableException(string message)
        : base(message)
    {
    }

    public PresenterUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
