using System.Runtime.InteropServices;

namespace Launcher.Platform.Tests.Files;

/// <summary>Sets the process umask for the length of a using block; tests that use it run alone (see <see cref="UmaskCollection"/>).</summary>
internal sealed partial class ProcessUmask : IDisposable
{
    private readonly uint _previous;

    public ProcessUmask(UnixFileMode mask)
    {
        _previous = NativeUmask((uint)mask) & 0xFFFF;
    }

    public void Dispose() => NativeUmask(_previous);

    // umask(2) takes and returns a mode_t (32 bits on Linux, 16 on Darwin); the high bits are masked off above.
    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint NativeUmask(uint mask);
}
