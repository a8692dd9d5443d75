namespace Launcher.Platform.Configuration;

/// <summary>Bounds on a property list read as configuration: a managed-preferences file is small, anything else is refused.</summary>
internal static class PlistLimits
{
    /// <summary>Largest file read, checked on the file's length before reading it.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>Deepest nesting of dictionaries and arrays (also what stops a cyclic binary plist).</summary>
    public const int MaxDepth = 32;

    /// <summary>Most objects in a binary plist, and most elements in an XML one.</summary>
    public const int MaxObjects = 100_000;
}
