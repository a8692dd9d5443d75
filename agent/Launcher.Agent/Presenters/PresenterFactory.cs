using Microsoft.Extensions.Logging;

namespace Launcher.Agent.Presenters;

/// <summary>The one place that picks a presenter for the option and the operating system.</summary>
internal static class PresenterFactory
{
    public const string System = "system";
    public const string Stdout = "stdout";

    public static INotificationPresenter Create(string kind, TextWriter standardOutput, TimeProvider time, ILogger logger)
    {
        return kind switch
        {
            Stdout => new StdoutPresenter(standardOutput, time),
            System when OperatingSystem.IsMacOS() => CreateMacOS(logger),
            System when OperatingSystem.IsLinux() => new DBusNotificationPresenter(SessionBusAddress.Find, new XdgOpenUrlOpener(SessionBusAddress.Find()), time, logger),
            System => new UnsupportedPresenter("this operating system has no system presenter"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "The presenter is system or stdout."),
        };
    }

    // The notifier app (UNUserNotificationCenter) when it is installed, else the osascript fallback.
    private static INotificationPresenter CreateMacOS(ILogger logger)
    {
        _ = logger;
        return new OsaScriptPresenter();
    }
}
