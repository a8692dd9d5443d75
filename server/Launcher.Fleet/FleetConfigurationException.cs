namespace Launcher.Fleet;

/// <summary>A configuration error with a message for the operator (no stack trace is printed for it).</summary>
internal sealed class FleetConfigurationException : Exception
{
    public FleetConfigurationException(string message)
        : base(message)
    {
    }
}
