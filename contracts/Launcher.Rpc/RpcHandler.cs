namespace Launcher.Rpc;

/// <summary>Serves one method: params in, result out; throw <see cref="RpcException"/> to answer with an error.</summary>
/// <typeparam name="TParams">The params object.</typeparam>
/// <typeparam name="TResult">The result object.</typeparam>
public delegate ValueTask<TResult> RpcHandler<TParams, TResult>(RpcCallContext context, TParams parameters, CancellationToken cancellationToken);
