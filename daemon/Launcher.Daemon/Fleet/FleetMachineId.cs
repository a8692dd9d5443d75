namespace Launcher.Daemon.Fleet;

/// <summary>The machine id the fleet assigned, shared with the identity service so that <c>identity/get</c> shows it
/// and local proofs carry it (the fleet link sets it; the identity service must not depend on the link).</summary>
internal sealed class FleetMachineId
{
    private volatile string? _value;

    public string? Value
    {
        get => _value;
        set => _value = value;
    }
}
