using Xunit;

namespace Launcher.Attestation.Tests;

/// <summary>A theory that needs tpm2-tools (and swtpm where named); skipped with the reason when absent outside CI.</summary>
internal sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params string[] tools)
    {
        Skip = ToolRequirement.SkipReason(tools);
    }
}
