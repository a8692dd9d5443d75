using Launcher.Contracts;
using Launcher.Daemon.Dispatch;
using Launcher.Daemon.Fleet;
using Launcher.Rpc;

namespace Launcher.Daemon.Handlers;

/// <summary>The local <c>fleet/enroll</c>, <c>fleet/status</c> and <c>fleet/leave</c>.</summary>
internal sealed class FleetLinkMethods : IMethodModule
{
    private readonly FleetLink _link;

    public FleetLinkMethods(FleetLink link)
    {
        _link = link;
    }

    public void Register(MethodRegistry registry)
    {
        registry.Register(Methods.FleetEnroll, async (session, request, cancellationToken) => await _link.EnrollAsync(request, cancellationToken).ConfigureAwait(false));
        registry.Register(Methods.FleetStatus, (session, request, cancellationToken) => ValueTask.FromResult(_link.Status()));
        registry.Register(Methods.FleetLeave, (session, request, cancellationToken) =>
        {
            if (!request.Confirm)
            {
                throw new RpcException(RpcErrorCodes.InvalidParams, "fleet/leave forgets the fleet server and the machine certificate: confirm with \"confirm\": true.");
            }

            return ValueTask.FromResult(_link.Leave());
        });
    }
}
