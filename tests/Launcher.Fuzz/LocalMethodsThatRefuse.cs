using Launcher.Contracts;
using Launcher.Rpc;

namespace Launcher.Fuzz;

/// <summary>
/// Every local method, with a handler that refuses with an <see cref="RpcException"/>: by the time a handler runs,
/// the params were bound and validated, which is what the fuzzer is after.
/// </summary>
internal static class LocalMethodsThatRefuse
{
    public static RpcHandlerTable Table { get; } = Refusing(Refusing(Refusing(Refusing(Refusing(Refusing(Refusing(
        new RpcHandlerTable(),
        Methods.DaemonStatus), Methods.AgentRegister), Methods.NotificationSend), Methods.NotificationAck),
        Methods.IdentityGet), Methods.IdentityProve), Methods.IdentityReset);

    private static RpcHandlerTable Refusing<TParams, TResult>(RpcHandlerTable table, RpcMethod<TParams, TResult> method) =>
        table.Add(method, static (_, _, _) => throw new RpcException(ErrorCodes.AccessDenied, "refused by the fuzz harness"));
}
