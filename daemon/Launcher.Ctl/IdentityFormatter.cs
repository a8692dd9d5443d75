using System.Text;
using Launcher.Contracts.Identity;

namespace Launcher.Ctl;

/// <summary>The human form of <c>identity/get</c> and <c>identity/reset</c>.</summary>
internal static class IdentityFormatter
{
    public static string Format(IdentityResult identity, TextStyle style)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(style);
        var text = new StringBuilder();
        string state = identity.State == IdentityStates.Ready ? style.Good(identity.State) : style.Bad(identity.State.ToUpperInvariant());
        StatusFormatter.Line(text, "key class", identity.KeyClass);
        StatusFormatter.Line(text, "state", state);
        if (identity.StateReason is not null)
        {
            StatusFormatter.Line(text, string.Empty, style.Warning("! " + identity.StateReason));
        }

        StatusFormatter.Line(text, "thumbprint", identity.Thumbprint ?? "-");
        StatusFormatter.Line(text, "public key", identity.PublicKeySpki ?? "-");
        StatusFormatter.Line(text, "machine id", identity.MachineId ?? "not enrolled");
        MachineFactsInfo facts = identity.Facts;
        StatusFormatter.Line(text, "serial", facts.SerialNumber ?? "-");
        StatusFormatter.Line(text, "hardware id", facts.HardwareUuid ?? "-");
        StatusFormatter.Line(text, "model", facts.Model ?? "-");
        StatusFormatter.Line(text, "os", $"{facts.OsName ?? "-"} {facts.OsVersion ?? string.Empty}".TrimEnd());
        return text.ToString();
    }
}
