using Xunit;

namespace Launcher.Platform.Tests.Tpm;

/// <summary>The attestation tests share one endorsed swtpm and run one at a time (swtpm has no resource manager).
/// Their swtpm is not the one of <see cref="SwtpmCollection"/>, so the two collections may run side by side.</summary>
[CollectionDefinition(Name)]
public sealed class EndorsedSwtpmCollection : ICollectionFixture<EndorsedSwtpmFixture>
{
    public const string Name = "swtpm-endorsed";
}
