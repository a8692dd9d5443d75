namespace Launcher.Rpc.Tests.Interop;

/// <summary>
/// A fact that needs node and the interop harness's node_modules: skipped with the reason when they are missing,
/// except under CI=true, where the test runs and fails loudly instead of passing silently.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        string? missing = NodeHarness.WhatIsMissing();
        if (missing is not null && !NodeHarness.IsCi)
        {
            Skip = missing + "; run scripts/setup.sh (it calls tests/interop/install.sh)";
        }
    }
}
