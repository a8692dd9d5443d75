using Xunit;

namespace Launcher.Attestation.Tests;

/// <summary>A fact that needs tpm2-tools (and swtpm where named); skipped with the reason when absent outside CI.</summary>
internal sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools)
    {
        Skip = ToolRequirement.SkipReason(tools);
    }
}
