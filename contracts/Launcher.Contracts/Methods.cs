using Launcher.Contracts.Agents;
using Launcher.Contracts.FleetLink;
using Launcher.Contracts.Identity;
using Launcher.Contracts.Notifications;
using Launcher.Contracts.Status;
using Launcher.Rpc;

namespace Launcher.Contracts;

/// <summary>
/// Every method of the local API, with the permission each requires: the one place permissions are declared.
/// docs/protocol.md describes each; a test fails when the daemon serves a method that is not here.
/// </summary>
public static class Methods
{
    private static readonly LauncherJsonContext s_json = LauncherJsonContext.Default;

    /// <summary><c>daemon/status</c>: version, uptime, agents per uid, identity state.</summary>
    public static readonly LauncherMethod<EmptyParams, StatusResult> DaemonStatus =
        new("daemon/status", Permission.Anyone, s_json.EmptyParams, s_json.StatusResult);

    /// <summary><c>daemon/diagnose</c>: configuration in use, key store and TPM, disk space; for <c>launcherctl doctor</c>.</summary>
    public static readonly LauncherMethod<EmptyParams, DiagnoseResult> DaemonDiagnose =
        new("daemon/diagnose", Permission.Admin, s_json.EmptyParams, s_json.DiagnoseResult);

    /// <summary><c>agent/register</c>: the connection becomes the agent of the caller's kernel uid.</summary>
    public static readonly LauncherMethod<RegisterParams, RegisterResult> AgentRegister =
        new("agent/register", Permission.Anyone, s_json.RegisterParams, s_json.RegisterResult);

    /// <summary><c>notification/send</c>: store durably, then deliver to one user or all users.</summary>
    public static readonly LauncherMethod<SendNotificationParams, SendNotificationResult> NotificationSend =
        new("notification/send", Permission.Admin, s_json.SendNotificationParams, s_json.SendNotificationResult);

    /// <summary><c>notification/ack</c>: the target user's agent reports the outcome.</summary>
    public static readonly LauncherMethod<AckNotificationParams, AckNotificationResult> NotificationAck =
        new("notification/ack", Permission.RegisteredAgent, s_json.AckNotificationParams, s_json.AckNotificationResult);

    /// <summary><c>identity/get</c>: the machine's public identity.</summary>
    public static readonly LauncherMethod<EmptyParams, IdentityResult> IdentityGet =
        new("identity/get", Permission.Anyone, s_json.EmptyParams, s_json.IdentityResult);

    /// <summary><c>identity/prove</c>: a proof for an audience and a nonce.</summary>
    public static readonly LauncherMethod<ProveParams, ProveResult> IdentityProve =
        new("identity/prove", Permission.Admin, s_json.ProveParams, s_json.ProveResult);

    /// <summary><c>identity/reset</c>: replace the machine key (a new identity).</summary>
    public static readonly LauncherMethod<ResetIdentityParams, IdentityResult> IdentityReset =
        new("identity/reset", Permission.Admin, s_json.ResetIdentityParams, s_json.IdentityResult);

    /// <summary><c>fleet/enroll</c>: enrol this machine with a fleet server (the daemon does it over the fleet link).</summary>
    public static readonly LauncherMethod<FleetEnrollParams, FleetEnrollResult> FleetEnroll =
        new("fleet/enroll", Permission.Admin, s_json.FleetEnrollParams, s_json.FleetEnrollResult);

    /// <summary><c>fleet/status</c>: the fleet link (enrolled, connected, server, machine id, certificate, last error).</summary>
    public static readonly LauncherMethod<EmptyParams, FleetLinkStatus> FleetStatus =
        new("fleet/status", Permission.Anyone, s_json.EmptyParams, s_json.FleetLinkStatus);

    /// <summary><c>fleet/leave</c>: forget the fleet server, the pinned CA and the machine certificate.</summary>
    public static readonly LauncherMethod<FleetLeaveParams, FleetLeaveResult> FleetLeave =
        new("fleet/leave", Permission.Admin, s_json.FleetLeaveParams, s_json.FleetLeaveResult);

    /// <summary>Daemon to agent: show a notification (a JSON-RPC notification; the agent answers with <c>notification/ack</c>).</summary>
    public static readonly RpcNotificationMethod<ShowNotificationParams> NotificationShow =
        new("notification/show", s_json.ShowNotificationParams);

    /// <summary>Daemon to agent: sign a user-key proof.</summary>
    public static readonly RpcMethod<UserKeySignParams, UserKeySignResult> UserKeySign =
        new("userKey/sign", s_json.UserKeySignParams, s_json.UserKeySignResult);

    /// <summary>Every method the daemon serves.</summary>
    public static IReadOnlyList<ILauncherMethod> DaemonMethods { get; } =
        [DaemonStatus, DaemonDiagnose, AgentRegister, NotificationSend, NotificationAck, IdentityGet, IdentityProve, IdentityReset, FleetEnroll, FleetStatus, FleetLeave];
}
