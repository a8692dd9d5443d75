namespace Launcher.Agent.Presenters;

/// <summary>
/// One line the macOS notifier app writes (JSON, one object per line). <see cref="Event"/> is:
/// <c>ready</c> (with <see cref="Authorization"/>: authorized, provisional, denied, notDetermined, unknown),
/// <c>posted</c> (with <see cref="Delivered"/>: whether Notification Center lists it), <c>failed</c> (with
/// <see cref="Reason"/>), <c>clicked</c> (with <see cref="ActionId"/> for an action, null for the notification
/// itself) or <c>dismissed</c>.
/// </summary>
internal sealed record NotifierEvent(string Event, string? Id, string? Authorization, bool? Delivered, string? ActionId, string? Reason);
