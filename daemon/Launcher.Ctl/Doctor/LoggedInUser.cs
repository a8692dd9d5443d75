namespace Launcher.Ctl.Doctor;

/// <summary>A user with a login session (from loginctl, else utmp through <c>who</c>).</summary>
internal sealed record LoggedInUser(uint Uid, string Name);
