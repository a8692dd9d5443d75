using Launcher.Contracts.Notifications;

namespace Launcher.Agent.Presenters;

/// <summary>The one place that picks a presenter for the option and the operating system.</summary>
internal static class PresenterFactory
{
    public const string System = "system";
    public const string Stdout = "stdout";

    public static INotificationPresenter Create(string kind, TextWriter standardOutput, TimeProvider time)
    {
        return kind switch
        {
            Stdout => new StdoutPresenter(standardOutput, time),
            System when OperatingSystem.IsMacOS() => new OsaScriptPresenter(),
            System when OperatingSystem.IsLinux() => new NotifySendPresenter(),
            System => new UnsupportedPresenter("this operating system has no system presenter"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "The presenter is system or stdout."),
        };
    }
}
