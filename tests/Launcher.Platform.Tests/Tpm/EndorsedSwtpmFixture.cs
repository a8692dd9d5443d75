namespace Launcher.Platform.Tests.Tpm;

/// <summary>
/// A swtpm provisioned with EKs and EK certificates from its own swtpm-localca test CA, shared by the attestation
/// tests. Started on first use (so that skipped tests start nothing) and killed on dispose.
/// </summary>
public sealed class EndorsedSwtpmFixture : IDisposable
{
    private readonly Lazy<SwtpmInstance> _tpm = new(() => SwtpmInstance.StartEndorsed());

    internal SwtpmInstance Tpm => _tpm.Value;

    public void Dispose()
    {
        if (_tpm.IsValueCreated)
        {
            _tpm.Value.Dispose();
        }
    }
}
