using Launcher.Contracts;
using Launcher.Daemon.Ipc;
using Launcher.Rpc;
using Microsoft.Extensions.Logging;

namespace Launcher.Daemon.Dispatch;

/// <summary>
/// The daemon's dispatcher: every handler is registered here with its contract's declared permission, and the
/// check runs here, before any handler, for every call. Handlers never check permissions themselves.
/// </summary>
internal sealed class MethodRegistry
{
    private readonly RpcHandlerTable _table = new();
    private readonly Dictionary<string, Permission> _permissions = new(StringComparer.Ordinal);
    private readonly ILogger _logger;

    public MethodRegistry(IEnumerable<IMethodModule> modules, ILogger<MethodRegistry> logger)
    {
        _logger = logger;
        foreach (IMethodModule module in modules)
        {
            module.Register(this);
        }
    }

    public RpcHandlerTable Table => _table;

    /// <summary>The permission of every registered method, by name.</summary>
    public IReadOnlyDictionary<string, Permission> Permissions => _permissions;

    public void Register<TParams, TResult>(LauncherMethod<TParams, TResult> method, Func<Session, TParams, CancellationToken, ValueTask<TResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(handler);
        Permission permission = method.Permission;
        _permissions.Add(method.Name, permission);
        _table.Add(method, (context, parameters, cancellationToken) =>
        {
            var session = (Session)context.Connection.State!;
            if (!Authorizer.Allows(permission, session, out string reason))
            {
                if (session.Connection.LogThrottle.Allow(_logger))
                {
                    Log.Denied(_logger, method.Name, session.Caller.ToString(), reason);
                }

                throw new RpcException(ErrorCodes.AccessDenied, $"Access denied: {method.Name} requires {Authorizer.Describe(permission)}.");
            }

            return handler(session, parameters, cancellationToken);
        });
    }
}
