namespace Launcher.Daemon.Dispatch;

/// <summary>A group of daemon methods that registers its handlers with the dispatcher.</summary>
internal interface IMethodModule
{
    void Register(MethodRegistry registry);
}
