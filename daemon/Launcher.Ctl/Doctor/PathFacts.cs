using Launcher.Platform.Files;

namespace Launcher.Ctl.Doctor;

/// <summary>What <c>lstat</c> says about a path (null from <see cref="Read"/> when it does not exist).</summary>
internal sealed record PathFacts(uint Owner, UnixFileMode Mode, bool IsSocket, bool IsDirectory, bool IsSymbolicLink)
{
    public static PathFacts? Read(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path) && !SecureFile.IsSymbolicLink(path))
        {
            return null;
        }

        (uint uid, UnixFileMode mode, bool link, bool socket) = FileStatus.LStat(path);
        return new PathFacts(uid, mode, socket, Directory.Exists(path) && !link, link);
    }
}
