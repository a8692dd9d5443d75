namespace Launcher.Fleet.Store;

/// <summary>One row of the audit log.</summary>
internal sealed class AuditEntry
{
    public long Id { get; set; }

    public long At { get; set; }

    public string Actor { get; set; } = string.Empty;

    public string Action { get; set; } = string.Empty;

    public string? MachineId { get; set; }

    public string? Detail { get; set; }
}
