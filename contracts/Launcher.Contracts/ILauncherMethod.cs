namespace Launcher.Contracts;

/// <summary>What the daemon's dispatcher and the permission tests need to know of any method.</summary>
public interface ILauncherMethod
{
    /// <summary>The method name on the wire.</summary>
    string Name { get; }

    /// <summary>Who may call it.</summary>
    Permission Permission { get; }
}
