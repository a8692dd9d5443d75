namespace Launcher.Rpc;

/// <summary>Params that check their own values after binding (ranges, lengths, combinations).</summary>
public interface IRpcValidatable
{
    /// <summary>Null when valid; otherwise a reason safe to send to the peer.</summary>
    string? Validate();
}
