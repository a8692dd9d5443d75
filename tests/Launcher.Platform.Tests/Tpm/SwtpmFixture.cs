namespace Launcher.Platform.Tests.Tpm;

/// <summary>
/// The swtpm shared by the TPM test collection. Started on first use, not in the constructor, so that tests
/// skipped for a missing swtpm never try to start one; killed on dispose.
/// </summary>
public sealed class SwtpmFixture : IDisposable
{
    private readonly Lazy<SwtpmInstance> _tpm = new(() => SwtpmInstance.Start());

    internal SwtpmInstance Tpm => _tpm.Value;

    public void Dispose()
    {
        if (_tpm.IsValueCreated)
        {
            _tpm.Value.Dispose();
        }
    }
}
