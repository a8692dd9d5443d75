using Launcher.Contracts;
using Launcher.Daemon.Dispatch;
using Launcher.Daemon.Identity;

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
        registry.Register(Methods.IdentityGet, (session, request, cancellationToken) => ValueTask.FromResult(_identity.Get()));
        registry.Register(Methods.IdentityProve, async (session, request, cancellationToken) => await _identity.ProveAsync(request, cancellationToken).ConfigureAwait(false));
        registry.Register(Methods.IdentityReset, async (session, request, cancellationToken) => await Task.Run(_identity.Reset, cancellationToken).ConfigureAwait(false));
    }
}
