namespace Launcher.Platform.Tests.Processes;

/// <summary>
/// The descriptor table is process-wide: other tests open and close descriptors all the time, so a test that counts
/// them runs after all others, one at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DescriptorTableCollection
{
    public const string Name = "process descriptor table";
}
