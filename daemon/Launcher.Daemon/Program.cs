using System.CommandLine;
using Launcher.Daemon;

return DaemonCommandLine.Build().Parse(args).Invoke();
