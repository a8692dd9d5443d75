using System.Text.Json.Serialization.Metadata;

namespace Launcher.Rpc;

/// <summary>
/// A method's wire contract: its name and the source-generated type information of its params and result.
/// Contracts derive from it to attach what else they declare (a permission, for the daemon's methods).
/// </summary>
/// <typeparam name="TParams">The params object.</typeparam>
/// <typeparam name="TResult">The result object.</typeparam>
public class RpcMethod<TParams, TResult>
{
    /// <summary>Creates a method descriptor.</summary>
    public RpcMethod(string name, JsonTypeInfo<TParams> paramsType, JsonTypeInfo<TResult> resultType)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        ParamsType = paramsType ?? throw new ArgumentNullException(nameof(paramsType));
        ResultType = resultType ?? throw new ArgumentNullException(nameof(resultType));
    }

    /// <summary>The method name on the wire.</summary>
    public string Name { get; }

    /// <summary>Type information for the params.</summary>
    public JsonTypeInfo<TParams> ParamsType { get; }

    /// <summary>Type information for the result.</summary>
    public JsonTypeInfo<TResult> ResultType { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
