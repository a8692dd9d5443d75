namespace Launcher.Contracts.Status;

/// <summary>The machine key store as <c>daemon/diagnose</c> reports it.</summary>
public sealed record KeyStoreDiagnosis
{
    /// <summary>The configured choice: <c>auto</c>, <c>secure-enclave</c>, <c>tpm</c> or <c>software</c>.</summary>
    public required string Configured { get; init; }

    /// <summary>The class of the store in use (see <see cref="KeyClasses"/>).</summary>
    public required string KeyClass { get; init; }

    /// <summary>Whether the store's hardware can be used now (always true for software).</summary>
    public required bool Available { get; init; }

    /// <summary>The store's own account of its availability.</summary>
    public required string Detail { get; init; }
}
