namespace Launcher.Fleet.Link;

/// <summary>A proof or handshake refused, with the fleet error code and a message safe to show the peer.</summary>
internal sealed class ProofRefusedException : Exception
{
    public ProofRefusedException(int code, string check, string message)
        : base(message)
    {
        Code = code;
        Check = check;
    }

    /// <summary>A <c>FleetErrorCodes</c> value.</summary>
    public int Code { get; }

    /// <summary>The check that failed (aud, nonce, exp, signature, cb, token, …): for logs, the audit log and the API.</summary>
    public string Check { get; }
}
