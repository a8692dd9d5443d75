namespace Launcher.Contracts.Fleet;

/// <summary>The fixed bounds of the fleet link (docs/fleet-protocol.md).</summary>
public static class FleetLimits
{
    /// <summary>How long a nonce from <c>fleet/challenge</c> is accepted.</summary>
    public const int NonceLifetimeSeconds = 60;

    /// <summary>Clock skew the server allows on <c>iat</c> and <c>exp</c>.</summary>
    public const int ClockSkewSeconds = 60;

    /// <summary>Longest enrolment token.</summary>
    public const int MaxTokenLength = 256;

    /// <summary>Longest compact proof.</summary>
    public const int MaxProofLength = 16 * 1024;

    /// <summary>Longest reported fact.</summary>
    public const int MaxFactLength = 256;

    /// <summary>Longest notification id.</summary>
    public const int MaxIdLength = 128;

    /// <summary>Seconds a connection has to authenticate before it is closed (1008).</summary>
    public const int AuthenticationDeadlineSeconds = 10;

    /// <summary>Interval of the server's WebSocket pings.</summary>
    public const int ServerKeepAliveSeconds = 20;

    /// <summary>Interval of the daemon's WebSocket pings.</summary>
    public const int DaemonKeepAliveSeconds = 30;

    /// <summary>The longest base64 field of the TPM evidence (an EK certificate or a public area), in characters.</summary>
    public const int MaxEvidenceFieldLength = 8 * 1024;

    /// <summary>How many EK chain certificates the evidence may carry.</summary>
    public const int MaxEkChainLength = 8;
}
