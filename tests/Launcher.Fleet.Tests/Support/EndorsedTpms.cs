using Launcher.Attestation.Verification;
using Launcher.Platform.Tests.Tpm;

namespace Launcher.Fleet.Tests.Support;

/// <summary>
/// Two swtpm instances provisioned with EKs and EK certificates (scripts/swtpm.sh, SWTPM_EK=1), each by its own
/// swtpm-localca test CA: <see cref="Trusted"/>'s CA is the fleet's TPM root, <see cref="Untrusted"/>'s is not.
/// Started on first use and stopped on dispose.
/// </summary>
public sealed class EndorsedTpms : IDisposable
{
    private readonly Lazy<SwtpmInstance> _trusted = new(() => SwtpmInstance.StartEndorsed());
    private readonly Lazy<SwtpmInstance> _untrusted = new(() => SwtpmInstance.StartEndorsed());

    internal SwtpmInstance Trusted => _trusted.Value;

    internal SwtpmInstance Untrusted => _untrusted.Value;

    /// <summary>What <c>--tpm-roots</c> pointing at the trusted swtpm's localca/ loads.</summary>
    internal TpmTrust Trust => TpmTrust.Load(Trusted.LocalCaDirectory, null);

    public void Dispose()
    {
        if (_trusted.IsValueCreated)
        {
            _trusted.Value.Dispose();
        }

        if (_untrusted.IsValueCreated)
        {
            _untrusted.Value.Dispose();
        }
    }
}
