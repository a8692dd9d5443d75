using Xunit;

namespace Launcher.Attestation.Tests;

/// <summary>A fact that needs swtpm and tpm2-tools; skipped with the reason when absent outside CI, failing under CI.</summary>
internal sealed class SwtpmFactAttribute : FactAttribute
{
    public SwtpmFactAttribute()
    {
        Skip = SwtpmWithEk.SkipReason;
    }
}
