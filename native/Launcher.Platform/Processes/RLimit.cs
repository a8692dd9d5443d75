using System.Runtime.InteropServices;

namespace Launcher.Platform.Processes;

/// <summary><c>struct rlimit</c>: two <c>rlim_t</c>, 64-bit on Linux (64-bit ABIs) and macOS.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RLimit
{
    public ulong Current;
    public ulong Maximum;
}
