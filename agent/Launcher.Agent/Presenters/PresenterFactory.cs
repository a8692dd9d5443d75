using Microsoft.Extensions.Logging;

namespace Launcher.Agent.Presenters;

/// <summary>The one place that picks a presenter for the option and the operating system.</summary>
internal static class PresenterFactory
{
    public const string System = "system";
    public const string Stdout = "stdout";

    /// <summary>The notifier app's executable (native/macos/Notifier), installed by the pkg.</summary>
    public const string NotifierExecutable = "/usr/local/launcher/Launcher Agent.app/Contents/MacOS/launcher-notifier";

    public static INotificationPresenter Create(string kind, TextWriter standardOutput, TimeProvider time, ILogger logger)
    {
        return kind switch
        {
            Stdout => new StdoutPresenter(standardOutput, time),
            System when OperatingSystem.IsMacOS() => CreateMacOS(logger),
            System when OperatingSystem.IsLinux() => new DBusNotificationPresenter(SessionBusAddress.Find, ProcessUrlOpener.XdgOpen(SessionBusAddress.Find()), time, logger),
            System => new UnsupportedPresenter("this operating system has no system presenter"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "The presenter is system or stdout."),
        };
    }

    // The notifier app (UNUserNotificationCenter) when it is installed, else the osascript fallback, which can only
    // report "submitted".
    private static INotificationPresenter CreateMacOS(ILogger logger) => File.Exists(NotifierExecutable)
        ? new NotifierAppPresenter(NotifierExecutable, ProcessUrlOpener.MacOpen(), logger)
        : new OsaScriptPresenter();
}
