namespace Launcher.Fleet.Tests.Support;

/// <summary>Every test class that runs on both stores shares one PostgreSQL cluster per test run.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "stores";
}
