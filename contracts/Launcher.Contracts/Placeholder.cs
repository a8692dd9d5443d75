namespace Launcher.Contracts;
