using System.Text.Json.Serialization.Metadata;

namespace Launcher.Rpc;

/// <summary>A notification's wire contract: a method that takes params and never answers.</summary>
/// <typeparam name="TParams">The params object.</typeparam>
public class RpcNotificationMethod<TParams>
{
    /// <summary>Creates a notification descriptor.</summary>
    public RpcNotificationMethod(string name, JsonTypeInfo<TParams> paramsType)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        ParamsType = paramsType ?? throw new ArgumentNullException(nameof(paramsType));
    }

    /// <summary>The method name on the wire.</summary>
    public string Name { get; }

    /// <summary>Type information for the params.</summary>
    public JsonTypeInfo<TParams> ParamsType { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
