namespace Launcher.Contracts.Status;

/// <summary>Free space where the daemon keeps its state.</summary>
public sealed record DiskDiagnosis
{
    /// <summary>The directory measured (the state directory).</summary>
    public required string Path { get; init; }

    /// <summary>Bytes available to the daemon.</summary>
    public required long AvailableBytes { get; init; }

    /// <summary>The file system's size in bytes.</summary>
    public required long TotalBytes { get; init; }
}
