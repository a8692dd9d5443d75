using Launcher.Contracts.Identity;
using Launcher.Rpc;

namespace Launcher.Contracts.Fleet;

/// <summary>Every method of the fleet link (docs/fleet-protocol.md), in both directions.</summary>
public static class FleetMethods
{
    private static readonly FleetJsonContext s_json = FleetJsonContext.Default;

    /// <summary>Daemon to server, before authentication: a single-use nonce for this connection.</summary>
    public static readonly RpcMethod<EmptyParams, ChallengeResult> Challenge =
        new("fleet/challenge", s_json.EmptyParams, s_json.ChallengeResult);

    /// <summary>Daemon to server, before authentication: enrol with a token and a proof.</summary>
    public static readonly RpcMethod<EnrollParams, EnrollResult> Enroll =
        new("fleet/enroll", s_json.EnrollParams, s_json.EnrollResult);

    /// <summary>Daemon to server, before authentication: answer a TPM activation challenge (reserved).</summary>
    public static readonly RpcMethod<ActivateParams, EnrollResult> Activate =
        new("fleet/activate", s_json.ActivateParams, s_json.EnrollResult);

    /// <summary>Daemon to server, before authentication: authenticate an enrolled machine.</summary>
    public static readonly RpcMethod<AuthenticateParams, EnrollResult> Authenticate =
        new("fleet/authenticate", s_json.AuthenticateParams, s_json.EnrollResult);

    /// <summary>Daemon to server: a fresh machine certificate.</summary>
    public static readonly RpcMethod<EmptyParams, RenewResult> Renew =
        new("fleet/renew", s_json.EmptyParams, s_json.RenewResult);

    /// <summary>Daemon to server: the outcome of a server notification for one user.</summary>
    public static readonly RpcMethod<OutcomeParams, EmptyParams> NotificationOutcome =
        new("notification/outcome", s_json.OutcomeParams, s_json.EmptyParams);

    /// <summary>Server to daemon: the machine's facts, freshly read.</summary>
    public static readonly RpcMethod<EmptyParams, FleetFacts> MachineFacts =
        new("machine/facts", s_json.EmptyParams, s_json.FleetFacts);

    /// <summary>Server to daemon: a fresh machine proof for an audience and nonce the server chose.</summary>
    public static readonly RpcMethod<ProveParams, FleetProveResult> IdentityProve =
        new("identity/prove", s_json.ProveParams, s_json.FleetProveResult);

    /// <summary>Server to daemon: store and deliver a notification.</summary>
    public static readonly RpcMethod<FleetNotificationParams, FleetNotificationResult> NotificationSend =
        new("notification/send", s_json.FleetNotificationParams, s_json.FleetNotificationResult);

    /// <summary>The methods a server serves before a connection is authenticated.</summary>
    public static IReadOnlyList<string> HandshakeMethods { get; } =
        [Challenge.Name, Enroll.Name, Activate.Name, Authenticate.Name];

    /// <summary>Every method the server serves.</summary>
    public static IReadOnlyList<string> ServerMethods { get; } =
        [Challenge.Name, Enroll.Name, Activate.Name, Authenticate.Name, Renew.Name, NotificationOutcome.Name];

    /// <summary>Every method the daemon serves on the link.</summary>
    public static IReadOnlyList<string> DaemonMethods { get; } =
        [MachineFacts.Name, IdentityProve.Name, NotificationSend.Name];
}
