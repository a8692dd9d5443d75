namespace Launcher.Platform.Files;

/// <summary>The type of a directory entry, from the S_IFMT bits of its status.</summary>
internal enum FileKind
{
    Regular,
    Directory,
    SymbolicLink,
    Fifo,
    Socket,
    CharacterDevice,
    BlockDevice,
    Other,
}
