using Launcher.Fleet.Cli;

return FleetCommandLine.Run(args, Console.Out, Console.Error);
