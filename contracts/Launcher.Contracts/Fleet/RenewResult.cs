namespace Launcher.Contracts.Fleet;

/// <summary>The result of <c>fleet/renew</c>: a fresh machine certificate for the enrolled key.</summary>
public sealed record RenewResult
{
    /// <summary>The machine certificate (PEM).</summary>
    public required string Certificate { get; init; }

    /// <summary>When it expires (Unix seconds).</summary>
    public required long NotAfter { get; init; }

    /// <summary>When to renew it (Unix seconds).</summary>
    public required long RenewAfter { get; init; }
}
