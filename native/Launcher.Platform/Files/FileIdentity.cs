namespace Launcher.Platform.Files;

/// <summary>What a path or an open handle is: its type and the (device, inode) pair that names it on disk.</summary>
internal readonly record struct FileIdentity(FileKind Kind, long Device, long Inode)
{
    /// <summary>True when both name the same file on the same device.</summary>
    public bool IsSameFileAs(FileIdentity other) => Device == other.Device && Inode == other.Inode;
}
