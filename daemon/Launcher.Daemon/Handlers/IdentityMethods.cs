using Launcher.Contracts;
using Launcher.Contracts.Identity;
using Launcher.Daemon.Dispatch;
using Launcher.Daemon.Identity;
using Launcher.Daemon.Ipc;

namespace Launcher.Daemon.Handlers;

/// <summary><c>identity/get</c>, <c>identity/prove</c> and <c>identity/reset</c>.</summary>
internal sealed class IdentityMethods : IMethodModule
{
    private readonly IdentityService _identity;

    public IdentityMethods(IdentityService identity)
    {
        _identity = identity;
    }

    public void Register(MethodRegistry registry)
    {
        registry.Register(Methods.IdentityGet, (session, request, cancellationToken) => ValueTask.FromResult(ForCaller(_identity.Get(), session)));
        registry.Register(Methods.IdentityProve, async (session, request, cancellationToken) => await _identity.ProveAsync(request, cancellationToken).ConfigureAwait(false));
        registry.Register(Methods.IdentityReset, async (session, request, cancellationToken) => await Task.Run(_identity.Reset, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The hardware serial number and platform UUID go to admins only: Linux keeps them root-only (DMI
    /// product_serial and product_uuid are 0400), and the daemon must not hand out what the OS withholds. Everything
    /// else about the identity (the public key, the state, the model and OS facts) is for any local caller.
    /// </summary>
    private static IdentityResult ForCaller(IdentityResult result, Session session) =>
        session.Caller.IsAdmin || result.Facts is null
            ? result
            : result with { Facts = result.Facts with { SerialNumber = null, HardwareUuid = null } };
}
