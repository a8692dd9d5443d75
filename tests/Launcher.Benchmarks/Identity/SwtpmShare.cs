using System.Text.Json.Nodes;

namespace Launcher.Benchmarks.Identity;

/// <summary>Where swtpm's wall time went in a phase: computing, runnable but waiting for a CPU, idle (waiting for a command).</summary>
internal sealed record SwtpmShare(double Running, double WaitingForCpu)
{
    public double Idle => Math.Max(0, 1 - Running - WaitingForCpu);

    public JsonObject ToJson() => new()
    {
        ["running"] = Math.Round(Running, 3),
        ["waitingForCpu"] = Math.Round(WaitingForCpu, 3),
        ["idle"] = Math.Round(Idle, 3),
    };

    public override string ToString() => $"swtpm running {Running:P0}, waiting for a CPU {WaitingForCpu:P0}, idle {Idle:P0}";
}
