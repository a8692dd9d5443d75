using Xunit;

namespace Launcher.Platform.Tests.Tpm;

/// <summary>All tests that talk to the shared swtpm run in this one collection, one at a time: swtpm has no
/// resource manager, so tests in parallel would see each other's transient objects and restarts.</summary>
[CollectionDefinition(Name)]
public sealed class SwtpmCollection : ICollectionFixture<SwtpmFixture>
{
    public const string Name = "swtpm";
}
