using Launcher.Contracts;
using Launcher.Rpc;

namespace Launcher.Fuzz;

/// <summary>
/// Every local method, with a handler that refuses with an <see cref="RpcException"/>: by the time a handler runs,
/// the params were bound and validated, which is what the fuzzer is after.
/// </summary>
internal static class LocalMethodsThatRefuse
{
    public static RpcHandlerTable Table { get; } = Build();

    private static RpcHandlerTable Build()
    {
        var table = new RpcHandlerTable();
        Refusing(table, Methods.DaemonStatus);
        Refusing(table, Methods.DaemonDiagnose);
        Refusing(table, Methods.AgentRegister);
        Refusing(table, Methods.NotificationSend);
        Refusing(table, Methods.NotificationAck);
        Refusing(table, Methods.IdentityGet);
        Refusing(table, Methods.IdentityProve);
        Refusing(table, Methods.IdentityReset);
        Refusing(table, Methods.FleetEnroll);
        Refusing(table, Methods.FleetStatus);
        Refusing(table, Methods.FleetLeave);
        return table;
    }

    private static RpcHandlerTable Refusing<TParams, TResult>(RpcHandlerTable table, RpcMethod<TParams, TResult> method) =>
        table.Add(method, static (_, _, _) => throw new RpcException(ErrorCodes.AccessDenied, "refused by the fuzz harness"));
}
