using Launcher.Contracts;
using Launcher.Contracts.Agents;
using Launcher.Contracts.FleetLink;
using Launcher.Contracts.Identity;
using Launcher.Contracts.Notifications;
using Launcher.Rpc;

namespace Launcher.Daemon.Tests.Dispatch;

/// <summary>
/// Every daemon method against every caller class, through the real dispatcher. The expectations are written out
/// here by hand (not derived from the contracts), so changing a method's permission breaks this test on purpose.
/// </summary>
public sealed class PermissionTableTests
{
    public enum CallerKind
    {
        Admin,
        RegisteredAgent,
        UnregisteredUser,
        OtherUsersAgent,
    }

    private static readonly Dictionary<string, CallerKind[]> s_allowed = new()
    {
        ["daemon/status"] = [CallerKind.Admin, CallerKind.RegisteredAgent, CallerKind.UnregisteredUser, CallerKind.OtherUsersAgent],
        ["daemon/diagnose"] = [CallerKind.Admin],
        ["agent/register"] = [CallerKind.Admin, CallerKind.RegisteredAgent, CallerKind.UnregisteredUser, CallerKind.OtherUsersAgent],
        ["notification/send"] = [CallerKind.Admin],
        ["notification/ack"] = [CallerKind.RegisteredAgent, CallerKind.OtherUsersAgent],
        ["identity/get"] = [CallerKind.Admin, CallerKind.RegisteredAgent, CallerKind.UnregisteredUser, CallerKind.OtherUsersAgent],
        ["identity/prove"] = [CallerKind.Admin],
        ["identity/reset"] = [CallerKind.Admin],
        ["fleet/enroll"] = [CallerKind.Admin],
        ["fleet/status"] = [CallerKind.Admin, CallerKind.RegisteredAgent, CallerKind.UnregisteredUser, CallerKind.OtherUsersAgent],
        ["fleet/leave"] = [CallerKind.Admin],
    };

    public static TheoryData<string, CallerKind> Cases()
    {
        var data = new TheoryData<string, CallerKind>();
        foreach (ILauncherMethod method in Methods.DaemonMethods)
        {
            foreach (CallerKind kind in Enum.GetValues<CallerKind>())
            {
                data.Add(method.Name, kind);
            }
        }

        return data;
    }

    [Fact]
    public async Task EveryServedMethod_HasDeclaredPermissionAndExpectation()
    {
        await using var daemon = new DaemonHarness();

        IReadOnlyDictionary<string, Permission> served = daemon.Registry.Permissions;

        Assert.Equal(Methods.DaemonMethods.Select(m => m.Name).Order(), served.Keys.Order());
        foreach ((string name, Permission permission) in served)
        {
            Assert.True(Enum.IsDefined(permission), $"{name} has no known permission");
            Assert.True(s_allowed.ContainsKey(name), $"{name} is served but this table has no expectation for it: add one");
        }
    }

    [Theory(Timeout = 20000)]
    [MemberData(nameof(Cases))]
    public async Task Method_ForCallerClass_IsAllowedOnlyWhenExpected(string method, CallerKind kind)
    {
        await using var daemon = new DaemonHarness();
        JsonRpcConnection client = await ConnectAsync(daemon, kind);
        bool expected = s_allowed[method].Contains(kind);

        int? code = await CallAsync(client, method);

        if (expected)
        {
            Assert.NotEqual(ErrorCodes.AccessDenied, code);
        }
        else
        {
            Assert.Equal(ErrorCodes.AccessDenied, code);
        }
    }

    private static async Task<JsonRpcConnection> ConnectAsync(DaemonHarness daemon, CallerKind kind)
    {
        switch (kind)
        {
            case CallerKind.Admin:
                return daemon.Connect(DaemonHarness.Root);
            case CallerKind.UnregisteredUser:
                return daemon.Connect(DaemonHarness.User(1000));
            default:
                uint uid = kind == CallerKind.RegisteredAgent ? 1000u : 2000u;
                JsonRpcConnection agent = daemon.Connect(DaemonHarness.User(uid), AgentHandlers());
                await agent.InvokeAsync(Methods.AgentRegister, new RegisterParams { AgentVersion = "test" });
                return agent;
        }
    }

    private static RpcHandlerTable AgentHandlers() =>
        new RpcHandlerTable().AddNotification(Methods.NotificationShow, (_, _, _) => ValueTask.CompletedTask);

    private static async Task<int?> CallAsync(JsonRpcConnection client, string method)
    {
        try
        {
            switch (method)
            {
                case "daemon/status":
                    await client.InvokeAsync(Methods.DaemonStatus, EmptyParams.Instance);
                    break;
                case "daemon/diagnose":
                    await client.InvokeAsync(Methods.DaemonDiagnose, EmptyParams.Instance);
                    break;
                case "agent/register":
                    await client.InvokeAsync(Methods.AgentRegister, new RegisterParams { AgentVersion = "test" });
                    break;
                case "notification/send":
                    await client.InvokeAsync(Methods.NotificationSend, new SendNotificationParams { Uid = 1000, Title = "t", Body = "b" });
                    break;
                case "notification/ack":
                    await client.InvokeAsync(Methods.NotificationAck, new AckNotificationParams { Id = "n_unknown", Outcome = NotificationOutcomes.Shown });
                    break;
                case "identity/get":
                    await client.InvokeAsync(Methods.IdentityGet, EmptyParams.Instance);
                    break;
                case "identity/prove":
                    await client.InvokeAsync(Methods.IdentityProve, new ProveParams { Audience = "https://fleet.example", Nonce = "nonce-123456" });
                    break;
                case "identity/reset":
                    await client.InvokeAsync(Methods.IdentityReset, new ResetIdentityParams { Confirm = true });
                    break;
                case "fleet/enroll":
                    // Nothing listens on port 1: an admin gets "unreachable", anyone else is denied before that.
                    await client.InvokeAsync(Methods.FleetEnroll, new FleetEnrollParams { Server = "https://127.0.0.1:1", Token = "lfe_test" });
                    break;
                case "fleet/status":
                    await client.InvokeAsync(Methods.FleetStatus, EmptyParams.Instance);
                    break;
                case "fleet/leave":
                    await client.InvokeAsync(Methods.FleetLeave, new FleetLeaveParams { Confirm = true });
                    break;
                default:
                    throw new InvalidOperationException($"The test does not know how to call {method}: add it.");
            }

            return null;
        }
        catch (RpcException ex)
        {
            return ex.Code;
        }
    }
}
