namespace Launcher.Contracts.Fleet;

/// <summary>The application error codes of the fleet link (docs/fleet-protocol.md, "Errors on the link").</summary>
public static class FleetErrorCodes
{
    /// <summary>A method other than the handshake methods before authentication.</summary>
    public const int NotAuthenticated = 2001;

    /// <summary>The enrolment token is unknown, expired, used up or revoked (one answer for all four).</summary>
    public const int InvalidToken = 2002;

    /// <summary>The proof is malformed or a check failed (signature, typ, kid, aud, exp); the message names the check.</summary>
    public const int InvalidProof = 2003;

    /// <summary>The nonce was not issued on this connection, has expired, or was already used.</summary>
    public const int NonceRejected = 2004;

    /// <summary><c>cb</c> is not the certificate the server presented.</summary>
    public const int ChannelBindingMismatch = 2005;

    /// <summary>The machine is revoked; the server closes the connection.</summary>
    public const int MachineRevoked = 2006;

    /// <summary><c>machine_id</c> is unknown, or the proof's key is not the enrolled key.</summary>
    public const int UnknownMachine = 2007;

    /// <summary>Try again later; <c>data.retryAfterSeconds</c> says when.</summary>
    public const int Overloaded = 2008;

    /// <summary>Evidence did not verify.</summary>
    public const int AttestationFailed = 2009;

    /// <summary>The enrolment policy refuses this key class or attestation level.</summary>
    public const int PolicyRefused = 2010;
}
