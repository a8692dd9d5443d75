namespace Launcher.Fleet.Tests.Support;

/// <summary>The attestation tests share two endorsed swtpm instances.</summary>
[CollectionDefinition(Name)]
public sealed class EndorsedTpmsCollection : ICollectionFixture<EndorsedTpms>
{
    public const string Name = "EndorsedTpms";
}
