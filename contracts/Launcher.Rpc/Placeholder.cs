namespace Launcher.Rpc;
