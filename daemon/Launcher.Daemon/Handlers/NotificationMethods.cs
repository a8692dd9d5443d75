using Launcher.Contracts;
using Launcher.Daemon.Dispatch;
using Launcher.Daemon.Notifications;

namespace Launcher.Daemon.Handlers;

/// <summary><c>notification/send</c> and <c>notification/ack</c>.</summary>
internal sealed class NotificationMethods : IMethodModule
{
    private readonly NotificationService _notifications;

    public NotificationMethods(NotificationService notifications)
    {
        _notifications = notifications;
    }

    public void Register(MethodRegistry registry)
    {
        registry.Register(Methods.NotificationSend, async (session, request, cancellationToken) => await _notifications.SendAsync(request).ConfigureAwait(false));
        registry.Register(Methods.NotificationAck, async (session, request, cancellationToken) => await _notifications.AckAsync(session, request).ConfigureAwait(false));
    }
}
