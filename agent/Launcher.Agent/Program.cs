using System.CommandLine;
using Launcher.Agent;

// The agent handles SIGTERM and Ctrl-C itself (a clean close, exit 0), so the parser's own handling is off.
return AgentCommandLine.Build().Parse(args).Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });
