using System.Text.Json;
using Launcher.Contracts;
using Launcher.Contracts.Identity;
using Launcher.Platform.Files;
using Launcher.Platform.Keys;
using Launcher.Platform.Native;
using Launcher.Rpc;
using Microsoft.Extensions.Logging;

namespace Launcher.Daemon.Identity;

/// <summary>
/// The machine identity's lifecycle. First start (an empty state directory, see <see cref="StateInventory"/>):
/// create the key and write the marker. Later starts: load it; a key that is missing, corrupt, foreign, without a
/// marker or of another class than the marker says makes the identity <c>lost</c>, and nothing but an explicit admin
/// reset replaces it. A key store that does not answer makes it
/// <c>unavailable</c>, retried on use.
/// </summary>
internal sealed class IdentityService : IDisposable
{
    private static readonly TimeSpan s_retryAfter = TimeSpan.FromSeconds(10);
    private readonly IKeyStore _store;
    private readonly IReadOnlyList<string> _selectionWarnings;
    private readonly DaemonOptions _options;
    private readonly MachineFactsInfo _facts;
    private readonly StateInventory _inventory;
    private readonly UserKeyProof _userKeyProof;
    private readonly TimeProvider _time;
    private readonly ILogger<IdentityService> _logger;
    private readonly Lock _lock = new();
    private readonly string _markerPath;
    private readonly Fleet.FleetMachineId? _machineId;
    private ISigningKey? _key;
    private EcPublicKey? _public;
    private string _state = IdentityStates.Unavailable;
    private string? _reason = "not loaded yet";
    private long _lastAttempt;

    public IdentityService(KeyStoreSelection selection, DaemonOptions options, MachineFactsInfo facts, StateInventory inventory, UserKeyProof userKeyProof, TimeProvider time, ILogger<IdentityService> logger, Fleet.FleetMachineId? machineId = null)
    {
        _inventory = inventory;
        _store = selection.Store;
        _selectionWarnings = selection.Warnings;
        _options = options;
        _facts = facts;
        _userKeyProof = userKeyProof;
        _time = time;
        _logger = logger;
        _machineId = machineId;
        _markerPath = Path.Combine(options.StateDirectory, "identity.json");
    }

    /// <summary>Loads or (on a machine that never had one) creates the identity.</summary>
    public void Initialize()
    {
        lock (_lock)
        {
            LoadLocked();
        }
    }

    public IdentitySnapshot Snapshot()
    {
        lock (_lock)
        {
            RetryIfDueLocked();
            var warnings = new List<string>(_selectionWarnings);
            if (_state != IdentityStates.Ready && _reason is not null)
            {
                warnings.Add($"identity {_state}: {_reason}");
            }

            return new IdentitySnapshot(_store.KeyClass, _state, _reason, warnings);
        }
    }

    public IdentityResult Get()
    {
        lock (_lock)
        {
            RetryIfDueLocked();
            return ResultLocked();
        }
    }

    public IdentityResult Reset()
    {
        lock (_lock)
        {
            Log.IdentityReset(_logger, _store.KeyClass, _public?.Thumbprint ?? "none");
            _key = null;
            _public = null;

            // The pending marker first: from here on a missing key means "create one", also after a crash.
            try
            {
                WriteMarker(PendingMarker());
            }
            catch (IOException ex) when (DiskFull.Is(ex))
            {
                Log.DiskFull(_logger, "identity/reset", ex.Message);
                throw DiskFull.Error("the identity was not reset and is unchanged");
            }

            _store.Delete();
            LoadLocked();
            return ResultLocked();
        }
    }

    public async Task<ProveResult> ProveAsync(ProveParams request, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var claims = new ProofClaims
        {
            Audience = request.Audience,
            Nonce = request.Nonce,
            IssuedAt = now.ToUnixTimeSeconds(),
            ExpiresAt = now.ToUnixTimeSeconds() + ProofFormat.DefaultLifetimeSeconds,
            ProofId = Guid.NewGuid().ToString("N"),
            KeyClass = _store.KeyClass,
            MachineId = _machineId?.Value,
        };

        ISigningKey? key;
        EcPublicKey? publicKey;
        lock (_lock)
        {
            RetryIfDueLocked();
            key = _key;
            publicKey = _public;
        }

        if (key is not null && publicKey is not null)
        {
            // Signed on the calling connection's own read loop: a software signature is ~40 µs, a TPM one ~1 ms,
            // and only this connection waits for it; a thread-pool hop would cost more than it saves (benchmarks).
            string jws = ProofWriter.Create(ProofFormat.MachineProofType, publicKey, claims, digest => key.SignDigest(digest));
            return new ProveResult { Jws = jws, KeyClass = key.KeyClass, ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(claims.ExpiresAt) };
        }

        if (_options.AllowUserKeyFallback)
        {
            return await _userKeyProof.RequestAsync(claims, cancellationToken).ConfigureAwait(false);
        }

        throw new RpcException(ErrorCodes.IdentityUnavailable, $"The machine identity is {_state}: {_reason}");
    }

    /// <summary>
    /// A machine proof for the fleet link, signed by the machine key only (never by a user-key fallback): the fleet
    /// enrols and authenticates the machine. <paramref name="machineId"/> is absent at enrolment;
    /// <paramref name="channelBinding"/> is the <c>cb</c> claim (docs/fleet-protocol.md).
    /// </summary>
    public string SignFleetProof(string audience, string nonce, string? machineId, string? channelBinding)
    {
        DateTimeOffset now = _time.GetUtcNow();
        ISigningKey? key;
        EcPublicKey? publicKey;
        lock (_lock)
        {
            RetryIfDueLocked();
            key = _key;
            publicKey = _public;
        }

        if (key is null || publicKey is null)
        {
            throw new RpcException(ErrorCodes.IdentityUnavailable, $"The machine identity is {_state}: {_reason}");
        }

        var claims = new ProofClaims
        {
            Audience = audience,
            Nonce = nonce,
            IssuedAt = now.ToUnixTimeSeconds(),
            ExpiresAt = now.ToUnixTimeSeconds() + ProofFormat.DefaultLifetimeSeconds,
            ProofId = Guid.NewGuid().ToString("N"),
            KeyClass = key.KeyClass,
            MachineId = machineId,
            TlsCertificateSha256 = channelBinding,
        };
        return ProofWriter.Create(ProofFormat.MachineProofType, publicKey, claims, digest => key.SignDigest(digest));
    }

    /// <summary>
    /// The TPM attestation of the machine key and the key itself, or null when the key store is not a TPM (Secure
    /// Enclave and software keys send no evidence).
    /// </summary>
    public (Launcher.Platform.Attestation.ITpmAttestation Attestation, ISigningKey Key)? TpmAttestation()
    {
        if (_store.KeyClass != KeyClasses.Tpm)
        {
            return null;
        }

        lock (_lock)
        {
            RetryIfDueLocked();
            return _key is null ? null : (_store.Attestation, _key);
        }
    }

    /// <summary>The machine's public key, or null while the identity is not ready.</summary>
    public EcPublicKey? PublicKey()
    {
        lock (_lock)
        {
            RetryIfDueLocked();
            return _public;
        }
    }

    public void Dispose() => _store.Dispose();

    private IdentityResult ResultLocked() => new()
    {
        KeyClass = _store.KeyClass,
        State = _state,
        StateReason = _state == IdentityStates.Ready ? (_selectionWarnings.Count > 0 ? string.Join("; ", _selectionWarnings) : null) : _reason,
        PublicKeyJwk = _public?.Jwk,
        PublicKeySpki = _public is null ? null : Convert.ToBase64String(_public.Spki),
        Thumbprint = _public?.Thumbprint,
        MachineId = _machineId?.Value,
        Facts = _facts,
    };

    private void RetryIfDueLocked()
    {
        if (_state == IdentityStates.Unavailable && _time.GetElapsedTime(_lastAttempt) >= s_retryAfter)
        {
            LoadLocked();
        }
    }

    private void LoadLocked()
    {
        _lastAttempt = _time.GetTimestamp();
        IdentityMarker? marker;
        try
        {
            marker = ReadMarker();
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException or InvalidDataException)
        {
            SetLost($"identity.json is unreadable: {ex.Message}");
            return;
        }

        if (marker is not null && marker.KeyClass != _store.KeyClass)
        {
            SetLost($"the identity was created in the {marker.KeyClass} store but the daemon now uses {_store.KeyClass}");
            return;
        }

        KeyStoreAvailability availability = _store.CheckAvailability();
        if (!availability.IsAvailable)
        {
            SetUnavailable(availability.Reason);
            return;
        }

        try
        {
            if (!_store.KeyExists())
            {
                if (marker is { Thumbprint: string missing })
                {
                    SetLost($"the key of identity {missing} is missing from {_options.StateDirectory}");
                    return;
                }

                if (marker is null && !_inventory.IsFirstStart)
                {
                    SetLost($"identity.json and the key are both missing, but this is not a first start: {_options.StateDirectory} held {_inventory.Describe()} when the daemon started");
                    return;
                }

                // A first start, or a creation (first start or reset) that a crash interrupted before the key existed.
                if (marker is null)
                {
                    WriteMarker(PendingMarker());
                }

                ISigningKey created = _store.Create();
                EcPublicKey createdPublic = EcPublicKey.FromSec1(created.PublicKeySec1.Span);
                WriteMarker(new IdentityMarker { KeyClass = created.KeyClass, Thumbprint = createdPublic.Thumbprint, CreatedAt = _time.GetUtcNow() });
                Log.IdentityCreated(_logger, created.KeyClass, createdPublic.Thumbprint);
                SetReady(created, createdPublic);
                return;
            }

            if (marker is null)
            {
                // Never adopted: the daemon cannot tell this key from one copied here from another machine.
                SetLost($"the key in {_options.StateDirectory} has no identity.json: it was not created here by the daemon (copied from elsewhere, or identity.json was removed)");
                return;
            }

            ISigningKey key = _store.Load();
            EcPublicKey publicKey = EcPublicKey.FromSec1(key.PublicKeySec1.Span);
            if (marker.Thumbprint is null)
            {
                // The key a creation made just before a crash kept it from completing the marker.
                WriteMarker(marker with { Thumbprint = publicKey.Thumbprint });
            }
            else if (marker.Thumbprint != publicKey.Thumbprint)
            {
                SetLost($"the key in {_options.StateDirectory} is not identity {marker.Thumbprint} (found {publicKey.Thumbprint})");
                return;
            }

            Log.IdentityLoaded(_logger, key.KeyClass, publicKey.Thumbprint);
            SetReady(key, publicKey);
        }
        catch (KeyUnusableException ex)
        {
            SetLost(ex.Message);
        }
        catch (NativeKeyException ex) when (ex.Status == NativeStatus.KeyInvalid)
        {
            SetLost(ex.Message);
        }
        catch (NativeKeyException ex)
        {
            SetUnavailable(ex.Message);
        }
        catch (FormatException ex)
        {
            SetLost("the key store returned an invalid public key: " + ex.Message);
        }
        catch (IOException ex)
        {
            SetUnavailable(ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            // A key file or state directory the daemon may not read or write (a wrong owner or mode, a link, or a
            // sandbox denial): the key itself may be intact, so this is retried, never a reason to mint a new one,
            // and never an exception that escapes start-up (launchd would restart the daemon into the same crash).
            SetUnavailable($"access to the key store was refused: {ex.Message.TrimEnd('.')}. Fix the owner or mode of the files in {_options.StateDirectory}; the daemon retries on use");
        }
    }

    private void SetReady(ISigningKey key, EcPublicKey publicKey)
    {
        _key = key;
        _public = publicKey;
        _state = IdentityStates.Ready;
        _reason = null;
    }

    private void SetLost(string reason)
    {
        _key = null;
        _public = null;
        _state = IdentityStates.Lost;
        _reason = reason.TrimEnd('.') + ". Run `launcherctl identity reset --yes` to create a new identity (the fleet treats it as a new machine).";
        Log.IdentityLost(_logger, reason);
    }

    private void SetUnavailable(string reason)
    {
        _key = null;
        _public = null;
        _state = IdentityStates.Unavailable;
        _reason = reason;
        Log.IdentityUnavailable(_logger, reason);
    }

    private IdentityMarker? ReadMarker()
    {
        if (!File.Exists(_markerPath) && !SecureFile.IsSymbolicLink(_markerPath))
        {
            return null;
        }

        byte[] bytes = SecureFile.ReadAllBytes(_markerPath, maxBytes: 16 * 1024);
        return JsonSerializer.Deserialize(bytes, IdentityJsonContext.Default.IdentityMarker)
            ?? throw new InvalidDataException("identity.json is empty.");
    }

    private IdentityMarker PendingMarker() => new() { KeyClass = _store.KeyClass, Thumbprint = null, CreatedAt = _time.GetUtcNow() };

    private void WriteMarker(IdentityMarker marker)
    {
        SecureFile.WriteAllBytesAtomic(_markerPath, JsonSerializer.SerializeToUtf8Bytes(marker, IdentityJsonContext.Default.IdentityMarker));
    }
}
