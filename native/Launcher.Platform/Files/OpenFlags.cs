namespace Launcher.Platform.Files;

/// <summary>The open(2) modes the product uses; translated to each OS's numbers by <see cref="OpenFlagValues"/>.</summary>
internal enum OpenFlags
{
    ReadOnly,
    CreateExclusiveWriteOnly,
}
