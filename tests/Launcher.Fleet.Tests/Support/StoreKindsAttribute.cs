using System.Reflection;
using Xunit.Sdk;

namespace Launcher.Fleet.Tests.Support;

/// <summary>Runs a store test on PostgreSQL: skipped with the reason when it is not installed, except under CI=true (then it fails).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresDataAttribute : DataAttribute
{
    public PostgresDataAttribute()
    {
        if (!PostgresFixture.IsInstalled() && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "PostgreSQL is not installed: run scripts/setup.sh";
        }
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [["postgres"]];
}
