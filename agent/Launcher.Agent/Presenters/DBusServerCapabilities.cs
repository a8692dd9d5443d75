namespace Launcher.Agent.Presenters;

/// <summary>What the notification server answered to GetCapabilities, as far as the presenter cares.</summary>
internal sealed record DBusServerCapabilities(bool Actions, bool BodyMarkup);
