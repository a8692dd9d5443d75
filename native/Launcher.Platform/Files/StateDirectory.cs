namespace Launcher.Platform.Files;

/// <summary>Checks, and when missing creates, a directory that holds the daemon's state or socket.</summary>
internal static class StateDirectory
{
    private const UnixFileMode GroupOrWorldWritable = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>
    /// Ensures <paramref name="path"/> exists with <paramref name="createMode"/>, is a real directory (not a link),
    /// is owned by <paramref name="requiredOwner"/> (when given) and is not writable by group or others.
    /// Throws <see cref="UnauthorizedAccessException"/> with the reason otherwise.
    /// </summary>
    public static void Ensure(string path, UnixFileMode createMode, uint? requiredOwner)
    {
        if (!Directory.Exists(path) && !SecureFile.IsSymbolicLink(path))
        {
            Directory.CreateDirectory(path, createMode);
        }

        (uint uid, UnixFileMode mode, bool isLink, _) = FileStatus.LStat(path);
        if (isLink)
        {
            throw new UnauthorizedAccessException($"{path} is a symbolic link; state directories must be real directories.");
        }

        if (requiredOwner is uint owner && uid != owner)
        {
            throw new UnauthorizedAccessException($"{path} is owned by uid {uid}, not {owner}.");
        }

        if ((mode & GroupOrWorldWritable) != 0)
        {
            throw new UnauthorizedAccessException($"{path} is writable by group or others (mode {Convert.ToString((int)mode, 8)}).");
        }
    }
}
