using System.Text.Json.Serialization.Metadata;
using Launcher.Rpc;

namespace Launcher.Contracts;

/// <summary>A daemon method with the permission it requires.</summary>
/// <typeparam name="TParams">The params object.</typeparam>
/// <typeparam name="TResult">The result object.</typeparam>
public sealed class LauncherMethod<TParams, TResult> : RpcMethod<TParams, TResult>, ILauncherMethod
{
    /// <summary>Creates the descriptor.</summary>
    public LauncherMethod(string name, Permission permission, JsonTypeInfo<TParams> paramsType, JsonTypeInfo<TResult> resultType)
        : base(name, paramsType, resultType)
    {
        if (!Enum.IsDefined(permission))
        {
            throw new ArgumentOutOfRangeException(nameof(permission), "Every method declares a known permission.");
        }

        Permission = permission;
    }

    /// <inheritdoc />
    public Permission Permission { get; }
}
