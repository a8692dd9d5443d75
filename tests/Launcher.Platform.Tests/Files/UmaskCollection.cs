namespace Launcher.Platform.Tests.Files;

/// <summary>The umask is process-wide: tests that change it run after all others, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class UmaskCollection
{
    public const string Name = "process umask";
}
