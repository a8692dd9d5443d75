using Launcher.Ctl;

return CtlCommandLine.Run(args, new CtlEnvironment(Console.Out, Console.Error, TextStyle.ForConsole()));
