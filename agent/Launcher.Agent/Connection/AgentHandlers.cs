using Launcher.Agent.Notifications;
using Launcher.Agent.UserKeys;
using Launcher.Contracts;
using Launcher.Rpc;

namespace Launcher.Agent.Connection;

/// <summary>The methods the daemon may call on an agent: exactly these two; anything else is "method not found".</summary>
internal static class AgentHandlers
{
    public static RpcHandlerTable Build(NotificationInbox inbox, UserKeySigner signer)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        ArgumentNullException.ThrowIfNull(signer);
        return new RpcHandlerTable()
            .AddNotification(Methods.NotificationShow, (context, notification, cancellationToken) => inbox.OnShowAsync(notification, cancellationToken))
            .Add(Methods.UserKeySign, signer.SignAsync);
    }
}
