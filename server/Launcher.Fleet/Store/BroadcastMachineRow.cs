namespace Launcher.Fleet.Store;

/// <summary>One machine's copy of a broadcast and its state (<see cref="BroadcastStore.States"/>).</summary>
internal sealed class BroadcastMachineRow
{
    public string MachineId { get; set; } = string.Empty;

    public string NotificationId { get; set; } = string.Empty;

    public long? DeliveredAt { get; set; }

    public string State { get; set; } = string.Empty;
}
