namespace Launcher.Ctl;

/// <summary>Helpers for validators, which System.CommandLine runs even when a value failed to convert.</summary>
internal static class CtlParsing
{
    /// <summary>False when reading a value throws because its conversion failed (the parser reports that error itself).</summary>
    public static bool TryGet<T>(Func<T> read, out T value)
    {
        try
        {
            value = read();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }
}
