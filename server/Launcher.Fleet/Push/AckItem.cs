using Launcher.Contracts.Fleet;

namespace Launcher.Fleet.Push;

/// <summary>One write waiting for <see cref="AckWriter"/>: a delivery (daemon accepted a notification) or a reported outcome.</summary>
internal sealed class AckItem
{
    public AckItem(string notificationId, string? machineId, OutcomeParams? outcome)
    {
        NotificationId = notificationId;
        MachineId = machineId;
        Outcome = outcome;
    }

    public string NotificationId { get; }

    /// <summary>The reporting machine, for an outcome (it must own the notification).</summary>
    public string? MachineId { get; }

    /// <summary>The outcome; null for a delivery.</summary>
    public OutcomeParams? Outcome { get; }

    /// <summary>Completes once the write is committed: true, or false for an outcome of a notification the machine was not sent.</summary>
    public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
