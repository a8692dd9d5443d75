namespace Launcher.Fuzz;

/// <summary>A target saw behaviour that must never happen (an escaped exception, an internal failure logged).</summary>
public sealed class FuzzCrashException : Exception
{
    public FuzzCrashException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
