using Launcher.Contracts;
using Launcher.Platform.Keys;

namespace Launcher.Daemon.Tests.Identity;

/// <summary>
/// A key store over a real software key whose file access can be made to fail as the OS fails it for a daemon that
/// may not read its key (EACCES, a refused mode or link): <see cref="UnauthorizedAccessException"/> from load and create.
/// Root passes every permission check, so this seam stands in for the unreadable file.
/// </summary>
internal sealed class AccessDeniedKeyStore : IKeyStore
{
    private readonly SoftwareKeyStore _inner;

    public AccessDeniedKeyStore(string path)
    {
        _inner = new SoftwareKeyStore(path, KeyClasses.Software);
    }

    public bool Denied { get; set; } = true;

    public string KeyClass => _inner.KeyClass;

    public KeyStoreAvailability CheckAvailability() => _inner.CheckAvailability();

    public bool KeyExists() => _inner.KeyExists();

    public ISigningKey Load() => Denied
        ? throw new UnauthorizedAccessException("Access to the path '/var/db/launcher/machine-key.se' is denied.")
        : _inner.Load();

    public ISigningKey Create() => Denied
        ? throw new UnauthorizedAccessException("Access to the path '/var/db/launcher/.machine-key.se.tmp' is denied.")
        : _inner.Create();

    public void Delete() => _inner.Delete();

    public void Dispose() => _inner.Dispose();
}
