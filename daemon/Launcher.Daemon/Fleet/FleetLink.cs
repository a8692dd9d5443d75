using System.Buffers.Text;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Launcher.Contracts;
using Launcher.Contracts.Fleet;
using Launcher.Contracts.FleetLink;
using Launcher.Contracts.Identity;
using Launcher.Daemon.Configuration;
using Launcher.Daemon.Identity;
using Launcher.Daemon.Notifications;
using Launcher.Rpc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Launcher.Daemon.Fleet;

/// <summary>
/// The daemon's one outbound connection to its fleet server (docs/fleet-protocol.md). While enrolled it connects,
/// authenticates with a channel-bound machine proof, serves the server's calls, reports notification outcomes from
/// the durable queue, and renews the machine certificate at half-life; when the connection fails it waits with
/// jittered exponential backoff (or the server's "retry after") and tries again. While not enrolled, with a server and
/// a token in the configuration (<see cref="FleetSettings"/>), it enrols itself the same way <c>fleet/enroll</c> does,
/// retrying what retrying can fix and stopping at a definitive refusal. Nothing here blocks the local API.
/// </summary>
internal sealed class FleetLink : BackgroundService
{
    /// <summary>A connection that lasted this long starts the backoff schedule over.</summary>
    private static readonly TimeSpan s_stableAfter = TimeSpan.FromSeconds(30);

    private readonly FleetStateStore _stateStore;
    private readonly FleetConnector _connector;
    private readonly IdentityService _identity;
    private readonly NotificationService _notifications;
    private readonly NotificationStore _store;
    private readonly FleetLinkOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<FleetLink> _logger;
    private readonly FleetBackoff _backoff;
    private readonly RpcHandlerTable _handlers;
    private readonly WakeSignal _wake = new();
    private readonly SemaphoreSlim _enrolLock = new(1, 1);
    private readonly Lock _lock = new();
    private readonly FleetMachineId _machineId;
    private readonly Lock _countLock = new();
    private long _countVersion = -1;
    private int _count;

    private FleetEnrolment? _enrolment;
    private bool _connected;
    private DateTimeOffset? _since;
    private string? _lastError;
    private int? _lastErrorCode;
    private DateTimeOffset? _nextAttemptAt;
    private CancellationTokenSource? _attempt;
    private bool _restartNow;
    private IReadOnlyList<string> _lastGrants = [];
    private (string? Level, string? Maker) _lastAttestation;
    private readonly FleetSettings _settings;
    private readonly FleetServerUrl? _configured;
    private string? _refusal;
    private string? _mismatchLogged;

    public FleetLink(
        FleetStateStore stateStore,
        FleetConnector connector,
        IdentityService identity,
        NotificationService notifications,
        NotificationStore store,
        FleetLinkOptions options,
        TimeProvider time,
        ILogger<FleetLink> logger,
        FleetMachineId? machineId = null,
        Random? random = null,
        FleetSettings? settings = null)
    {
        _stateStore = stateStore;
        _connector = connector;
        _identity = identity;
        _notifications = notifications;
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        _machineId = machineId ?? new FleetMachineId();
        _settings = settings ?? FleetSettings.None;
        _configured = _settings.Server is Uri configured && FleetServerUrl.TryParse(configured.ToString(), out FleetServerUrl? url, out _) ? url : null;
        _backoff = new FleetBackoff(random ?? Random.Shared, options.BackoffInitial, options.BackoffMax, options.FirstDelayMax);
        _handlers = new RpcHandlerTable()
            .Add(FleetMethods.MachineFacts, (context, request, cancellationToken) => MachineFactsAsync(context))
            .Add(FleetMethods.IdentityProve, (context, request, cancellationToken) => ProveAsync(context, request))
            .Add(FleetMethods.NotificationSend, (context, request, cancellationToken) => NotificationSendAsync(context, request));
    }

    /// <summary>The link's state for <c>fleet/status</c> and <c>daemon/status</c>.</summary>
    public FleetLinkStatus Status()
    {
        FleetEnrolment? enrolment;
        FleetLinkStatus status;
        lock (_lock)
        {
            enrolment = _enrolment;
            status = new FleetLinkStatus
            {
                Enrolled = enrolment is not null,
                Connected = _connected,
                Server = enrolment?.Server,
                MachineId = enrolment?.MachineId,
                SpiffeId = enrolment?.SpiffeId,
                CaPinned = enrolment?.CaPinned ?? false,
                CertificateNotAfter = enrolment?.NotAfter,
                RenewAfter = enrolment?.RenewAfter,
                Since = _since,
                LastError = _lastError,
                LastErrorCode = _lastErrorCode,
                NextAttemptAt = _connected ? null : _nextAttemptAt,
                ConfiguredServer = _configured?.Audience,
                ConfiguredState = ConfiguredStateLocked(enrolment),
                ConfiguredRefusal = enrolment is null ? _refusal : null,
            };
        }

        return status with { PendingOutcomes = PendingOutcomes() };
    }

    /// <summary>How the enrolment the configuration asks for stands (<see cref="FleetConfiguredStates"/>).</summary>
    private string? ConfiguredStateLocked(FleetEnrolment? enrolment)
    {
        if (_configured is null)
        {
            return null;
        }

        if (enrolment is not null)
        {
            return enrolment.Server == _configured.Audience ? FleetConfiguredStates.Enrolled : FleetConfiguredStates.OtherServer;
        }

        return _refusal is not null ? FleetConfiguredStates.Refused
            : _settings.EnrolmentToken is null ? FleetConfiguredStates.NoToken
            : FleetConfiguredStates.Enrolling;
    }

    /// <summary>
    /// The queue's length, counted again only after the outbox committed a write (status is open to every local
    /// user and polled by agents' heartbeats; the count changes only with a write).
    /// </summary>
    private int PendingOutcomes()
    {
        lock (_countLock)
        {
            long version = _store.Version;
            if (version != _countVersion)
            {
                try
                {
                    _count = _store.PendingOutcomeCount();
                    _countVersion = version;
                }
                catch (Microsoft.Data.Sqlite.SqliteException ex)
                {
                    Log.FleetOutcomeQueueFailed(_logger, ex.Message);
                }
            }

            return _count;
        }
    }

    /// <summary>Enrols with a server over a new connection, stores the result, then lets the link connect.</summary>
    public async Task<FleetEnrollResult> EnrollAsync(FleetEnrollParams request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        FleetServerUrl server = FleetServerUrl.Parse(request.Server);
        X509Certificate2Collection? pinned = null;
        if (request.CaCertificatePem is not null)
        {
            try
            {
                pinned = FleetStateStore.ParseCa(request.CaCertificatePem);
            }
            catch (CryptographicException ex)
            {
                throw new RpcException(RpcErrorCodes.InvalidParams, "The CA file is not a PEM certificate: " + ex.Message);
            }
        }

        FleetEnrolment? current = TryLoad()?.Enrolment;
        if (current is not null && current.Server != server.Audience)
        {
            throw Enrolled(current);
        }

        EcPublicKey key = _identity.PublicKey()
            ?? throw new RpcException(ErrorCodes.IdentityUnavailable, "The machine identity is not ready; `launcherctl status` says why.");

        try
        {
            FleetEnrolment enrolment = (await EnrolLockedAsync(server, pinned, request, key, automatic: false, cancellationToken).ConfigureAwait(false))!;
            RequestRestart();
            return new FleetEnrollResult
            {
                Server = enrolment.Server,
                MachineId = enrolment.MachineId,
                SpiffeId = enrolment.SpiffeId,
                CertificateNotAfter = enrolment.NotAfter,
                RenewAfter = enrolment.RenewAfter,
                Grants = _lastGrants,
                AttestationLevel = _lastAttestation.Level,
                TpmMaker = _lastAttestation.Maker,
            };
        }
        catch (FleetLinkException ex)
        {
            Log.FleetEnrolFailed(_logger, server.Audience, ex.Message);
            throw new RpcException(ex.ServerCode ?? ErrorCodes.FleetUnreachable, ex.Message);
        }
    }

    private static RpcException Enrolled(FleetEnrolment current) =>
        new(ErrorCodes.Conflict, $"This machine is enrolled with {current.Server}; run `launcherctl fleet leave --yes` first.");

    /// <summary>
    /// The one enrolment path (<c>fleet/enroll</c> and the configured enrolment): under the enrol lock, so two never
    /// run at once. A manual enrolment with another server than the stored one is a conflict; an automatic one
    /// returns null when the machine got enrolled meanwhile (an admin was quicker).
    /// </summary>
    private async Task<FleetEnrolment?> EnrolLockedAsync(FleetServerUrl server, X509Certificate2Collection? pinned, FleetEnrollParams request, EcPublicKey key, bool automatic, CancellationToken cancellationToken)
    {
        await _enrolLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            FleetEnrolment? current = TryLoad()?.Enrolment;
            if (current is not null && (automatic || current.Server != server.Audience))
            {
                return automatic ? null : throw Enrolled(current);
            }

            FleetEnrolment enrolment = await EnrollOverLinkAsync(server, pinned, request, key, cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                SetEnrolmentLocked(enrolment);
                _lastError = null;
                _lastErrorCode = null;
                _nextAttemptAt = null;
                _refusal = null;
            }

            Log.FleetEnrolled(_logger, enrolment.Server, enrolment.MachineId, enrolment.SpiffeId, enrolment.NotAfter);
            return enrolment;
        }
        finally
        {
            _enrolLock.Release();
        }
    }

    /// <summary>
    /// One attempt at the enrolment the configuration asks for. Returns the wait before the next attempt after a
    /// failure that retrying may fix (the link's jittered backoff, or the server's "retry after"); null after a
    /// success, a definitive refusal (recorded, logged once, no more attempts) or when the machine got enrolled
    /// meanwhile.
    /// </summary>
    private async Task<TimeSpan?> AutoEnrolAsync(FleetServerUrl server, CancellationToken stoppingToken)
    {
        TimeSpan? retryAfter = null;
        Log.FleetAutoEnrolling(_logger, server.Audience, _backoff.Attempt + 1);
        try
        {
            X509Certificate2Collection? pinned = _settings.CaCertificatePem is string pem ? FleetStateStore.ParseCa(pem) : null;
            if (_identity.PublicKey() is not EcPublicKey key)
            {
                throw new FleetLinkException("The machine identity is not ready yet (`launcherctl status` says why); the configured enrolment waits for it.");
            }

            var request = new FleetEnrollParams { Server = server.Audience, Token = _settings.EnrolmentToken!, CaCertificatePem = _settings.CaCertificatePem };
            if (await EnrolLockedAsync(server, pinned, request, key, automatic: true, stoppingToken).ConfigureAwait(false) is not null)
            {
                _backoff.Reset();
            }

            return null;
        }
        catch (FleetLinkException ex) when (FleetErrors.IsDefinitiveRefusal(ex.ServerCode))
        {
            lock (_lock)
            {
                _refusal = ex.Message;
                _nextAttemptAt = null;
            }

            SetError(ex.Message, ex.ServerCode, disconnected: true);
            Log.FleetConfiguredEnrolmentRefused(_logger, server.Audience, ex.Message);
            return null;
        }
        catch (FleetLinkException ex)
        {
            SetError(ex.Message, ex.ServerCode, disconnected: true);
            retryAfter = ex.RetryAfter;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            // TPM evidence, the facts, the disk: logged with its detail, retried with backoff like a network failure.
            Log.FleetLinkFailed(_logger, ex);
            SetError("The configured enrolment failed unexpectedly; see the daemon's log.", null, disconnected: true);
        }

        if (stoppingToken.IsCancellationRequested)
        {
            return null;
        }

        TimeSpan delay = _backoff.NextDelay(retryAfter);
        lock (_lock)
        {
            _nextAttemptAt = _time.GetUtcNow() + delay;
            Log.FleetAttemptFailed(_logger, server.Audience, _lastError ?? "enrolment failed", delay.TotalSeconds);
        }

        return delay;
    }

    /// <summary>Forgets the server, the pinned CA and the machine certificate; the open connection is closed.</summary>
    public FleetLeaveResult Leave()
    {
        FleetEnrolment? enrolment = TryLoad()?.Enrolment;
        _stateStore.Delete();
        lock (_lock)
        {
            SetEnrolmentLocked(null);
            _lastError = null;
            _lastErrorCode = null;
            _nextAttemptAt = null;

            // The configuration still says the machine belongs to its fleet: a configured token enrols it again
            // (docs/configuration.md); a refusal is forgotten, so leave is also how an admin retries one by hand.
            _refusal = null;
            _mismatchLogged = null;
        }

        if (enrolment is not null)
        {
            Log.FleetLeft(_logger, enrolment.Server, enrolment.MachineId);
        }

        RequestRestart();
        return new FleetLeaveResult { Server = enrolment?.Server, MachineId = enrolment?.MachineId };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A random first delay: machines that boot or restart together do not all reach the server at once.
        // An enrolment cuts it short.
        _ = TryLoad();
        await WaitAsync(_backoff.FirstDelay(), stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            lock (_lock)
            {
                _restartNow = false;
            }

            FleetState? state;
            try
            {
                state = _stateStore.Load();
            }
            catch (InvalidDataException ex)
            {
                Log.FleetStateUnusable(_logger, ex.Message);
                SetError(ex.Message + " Run `launcherctl fleet enroll` again.", null, disconnected: true);
                if (_settings.CanEnrol)
                {
                    // Not overwritten by the configured enrolment: an admin looks first (leave, then it enrols).
                    lock (_lock)
                    {
                        _refusal = ex.Message + " The configured enrolment waits: run `launcherctl fleet leave --yes` and it enrols again.";
                    }
                }

                await WaitAsync(Timeout.InfiniteTimeSpan, stoppingToken).ConfigureAwait(false);
                continue;
            }

            lock (_lock)
            {
                SetEnrolmentLocked(state?.Enrolment);
            }

            if (state is null)
            {
                SetDisconnected(null);
                bool enrol;
                lock (_lock)
                {
                    enrol = _configured is not null && _settings.EnrolmentToken is not null && _refusal is null;
                }

                if (enrol && await AutoEnrolAsync(_configured!, stoppingToken).ConfigureAwait(false) is TimeSpan retry)
                {
                    await WaitAsync(retry, stoppingToken).ConfigureAwait(false);
                }
                else if (!enrol)
                {
                    await WaitAsync(Timeout.InfiniteTimeSpan, stoppingToken).ConfigureAwait(false);
                }

                continue;
            }

            CheckConfiguredServer(state);

            string? thumbprint = _identity.PublicKey()?.Thumbprint;
            if (thumbprint is not null && thumbprint != state.Enrolment.KeyThumbprint)
            {
                SetError($"The machine identity changed since the enrolment with {state.Server} (identity reset); run `launcherctl fleet enroll` again.", null, disconnected: true);
                await WaitAsync(Timeout.InfiniteTimeSpan, stoppingToken).ConfigureAwait(false);
                continue;
            }

            TimeSpan? retryAfter = null;
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            lock (_lock)
            {
                _attempt = attempt;
            }

            try
            {
                await RunConnectionAsync(state, attempt.Token).ConfigureAwait(false);
            }
            catch (FleetLinkException ex)
            {
                SetError(ex.Message, ex.ServerCode, disconnected: true);
                retryAfter = ex.RetryAfter;
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // Enrolment or leave asked for a fresh start.
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is not OperationCanceledException)
            {
                // A bug or an environment failure (disk, SQLite) must not take the daemon down with it: the local
                // API keeps serving and the link tries again later.
                Log.FleetLinkFailed(_logger, ex);
                SetError("The fleet link failed unexpectedly; see the daemon's log.", null, disconnected: true);
            }
            finally
            {
                lock (_lock)
                {
                    _attempt = null;
                }
            }

            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            bool restart;
            lock (_lock)
            {
                restart = _restartNow;
            }

            if (restart)
            {
                continue;
            }

            TimeSpan delay = _backoff.NextDelay(retryAfter);
            lock (_lock)
            {
                _nextAttemptAt = _time.GetUtcNow() + delay;
                Log.FleetAttemptFailed(_logger, state.Server.Audience, _lastError ?? "disconnected", delay.TotalSeconds);
            }

            await WaitAsync(delay, stoppingToken).ConfigureAwait(false);
        }

        SetDisconnected("the daemon is stopping");
    }

    /// <summary>Enrolled with another server than the configured one: said once in the log, and in every status.</summary>
    private void CheckConfiguredServer(FleetState state)
    {
        if (_configured is null || state.Server.Audience == _configured.Audience)
        {
            return;
        }

        lock (_lock)
        {
            if (_mismatchLogged == state.Server.Audience)
            {
                return;
            }

            _mismatchLogged = state.Server.Audience;
        }

        Log.FleetConfiguredServerMismatch(_logger, _configured.Audience, state.Server.Audience);
    }

    private async Task<FleetEnrolment> EnrollOverLinkAsync(FleetServerUrl server, X509Certificate2Collection? pinned, FleetEnrollParams request, EcPublicKey key, CancellationToken cancellationToken)
    {
        FleetConnection connection = await _connector.ConnectAsync(server, pinned, _handlers, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            ChallengeResult challenge = await CallAsync(connection, "fleet/challenge", () => connection.Rpc.InvokeAsync(FleetMethods.Challenge, EmptyParams.Instance, cancellationToken, _options.HandshakeCallTimeout)).ConfigureAwait(false);
            string proof = _identity.SignFleetProof(server.Audience, challenge.Nonce, null, connection.ChannelBinding);
            FleetFacts facts = await FleetFactsReader.ReadAsync().ConfigureAwait(false);
            FleetAttestation? attestation = null;
            if (_identity.TpmAttestation() is var (tpm, machineKey))
            {
                long started = Stopwatch.GetTimestamp();
                attestation = await Task.Run(() => FleetAttestation.Gather(tpm, machineKey, Base64Url.DecodeFromChars(challenge.Nonce)), cancellationToken).ConfigureAwait(false);
                Log.FleetEvidenceGathered(_logger, attestation.Evidence.EkKind, attestation.Evidence.EkCertificate is not null, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            var enroll = new EnrollParams { Token = request.Token, Proof = proof, Facts = facts, Attestation = attestation?.Evidence };
            EnrollResult result = await CallAsync(connection, "the enrolment", () => connection.Rpc.InvokeAsync(FleetMethods.Enroll, enroll, cancellationToken, _options.HandshakeCallTimeout)).ConfigureAwait(false);
            if (result.Activation is ActivationChallenge activation)
            {
                if (attestation is null)
                {
                    throw new FleetLinkException($"The fleet server {server.Audience} sent an activation challenge for an enrolment without TPM evidence.");
                }

                long started = Stopwatch.GetTimestamp();
                byte[] credential = await Task.Run(() => attestation.Activate(activation), cancellationToken).ConfigureAwait(false);
                Log.FleetCredentialActivated(_logger, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                var answer = new ActivateParams { Credential = Convert.ToBase64String(credential) };
                result = await CallAsync(connection, "the credential activation", () => connection.Rpc.InvokeAsync(FleetMethods.Activate, answer, cancellationToken, _options.HandshakeCallTimeout)).ConfigureAwait(false);
            }

            _lastAttestation = (result.AttestationLevel, result.TpmMaker);
            CheckCertificate(result.Certificate, result.SpiffeId, key, server);
            var enrolment = new FleetEnrolment
            {
                Server = server.Audience,
                MachineId = result.MachineId,
                SpiffeId = result.SpiffeId,
                NotAfter = DateTimeOffset.FromUnixTimeSeconds(result.NotAfter),
                RenewAfter = DateTimeOffset.FromUnixTimeSeconds(result.RenewAfter),
                EnrolledAt = _time.GetUtcNow(),
                CaPinned = request.CaCertificatePem is not null,
                KeyThumbprint = key.Thumbprint,
            };
            _stateStore.Save(enrolment, result.Certificate, request.CaCertificatePem);
            _lastGrants = result.Grants;
            return enrolment;
        }
    }

    /// <summary>One connection: authenticate, then serve until it ends. Returns when an authenticated connection
    /// ended; throws <see cref="FleetLinkException"/> when it never got that far.</summary>
    private async Task RunConnectionAsync(FleetState state, CancellationToken cancellationToken)
    {
        FleetConnection connection = await _connector.ConnectAsync(state.Server, state.PinnedCa, _handlers, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            ChallengeResult challenge = await CallAsync(connection, "fleet/challenge", () => connection.Rpc.InvokeAsync(FleetMethods.Challenge, EmptyParams.Instance, cancellationToken, _options.HandshakeCallTimeout)).ConfigureAwait(false);
            string proof = _identity.SignFleetProof(state.Server.Audience, challenge.Nonce, state.Enrolment.MachineId, connection.ChannelBinding);
            EnrollResult result = await CallAsync(connection, "the authentication", () => connection.Rpc.InvokeAsync(FleetMethods.Authenticate, new AuthenticateParams { Proof = proof }, cancellationToken, _options.HandshakeCallTimeout)).ConfigureAwait(false);
            connection.MarkAuthenticated(state.Enrolment.MachineId);
            FleetEnrolment enrolment = ApplyCertificate(state.Enrolment, state.CertificatePem, result.Certificate, result.NotAfter, result.RenewAfter);
            long connectedAt = _time.GetTimestamp();
            SetConnected(enrolment);
            Log.FleetConnected(_logger, state.Server.Audience, enrolment.MachineId);

            using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connection.Rpc.Closed);
            Task outcomes = SendOutcomesAsync(connection, session.Token);
            Task renewal = RenewLoopAsync(connection, session.Token);
            try
            {
                await connection.Rpc.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await session.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(outcomes, renewal).ConfigureAwait(false);
                if (_time.GetElapsedTime(connectedAt) >= s_stableAfter)
                {
                    _backoff.Reset();
                }

                string reason = connection.Rpc.CloseReason ?? "closed";
                SetError($"Disconnected from {state.Server}: {FleetErrors.Clip(reason)}", null, disconnected: true);
                Log.FleetDisconnected(_logger, state.Server.Audience, reason);
            }
        }
    }

    /// <summary>Reports queued outcomes until the connection ends; each leaves the queue only once the server answered.</summary>
    private async Task SendOutcomesAsync(FleetConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                IReadOnlyList<FleetOutcome> batch = _store.PendingOutcomes(_options.OutcomeBatch);
                foreach (FleetOutcome outcome in batch)
                {
                    var report = new OutcomeParams { Id = outcome.FleetId, Uid = outcome.Uid, Outcome = outcome.Outcome, Action = outcome.ActionId, At = outcome.At.ToUnixTimeMilliseconds() };
                    try
                    {
                        await connection.Rpc.InvokeAsync(FleetMethods.NotificationOutcome, report, cancellationToken).ConfigureAwait(false);
                        Log.FleetOutcomeReported(_logger, outcome.FleetId, outcome.Uid, outcome.Outcome);
                    }
                    catch (RpcException ex) when (ex.Code is not (FleetErrorCodes.Overloaded or FleetErrorCodes.NotAuthenticated or RpcErrorCodes.ServerBusy))
                    {
                        // The server answered, and will answer the same again: keeping it would block the queue.
                        Log.FleetOutcomeRefused(_logger, outcome.FleetId, outcome.Uid, outcome.Outcome, ex.Code, FleetErrors.Clip(ex.Message));
                    }

                    await _store.MarkOutcomeReportedAsync(outcome.FleetId, outcome.Uid, outcome.Outcome, _time.GetUtcNow()).ConfigureAwait(false);
                }

                if (batch.Count < _options.OutcomeBatch)
                {
                    await _store.OutcomeRecorded.WaitAsync(_options.OutcomePollInterval, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or RpcConnectionLostException or RpcTimeoutException or RpcException or ObjectDisposedException)
        {
            // The connection ended or the server is busy: the outcomes stay queued for the next connection.
            if (ex is RpcTimeoutException or RpcException && !cancellationToken.IsCancellationRequested)
            {
                connection.Rpc.Close("reporting outcomes failed: " + ex.Message);
            }
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            Log.FleetOutcomeQueueFailed(_logger, ex.Message);
            connection.Rpc.Close("the outcome queue failed");
        }
    }

    /// <summary>Renews the machine certificate when its renewal time comes (at once if it has passed).</summary>
    private async Task RenewLoopAsync(FleetConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                FleetEnrolment? enrolment;
                lock (_lock)
                {
                    enrolment = _enrolment;
                }

                if (enrolment is null)
                {
                    return;
                }

                TimeSpan wait = enrolment.RenewAfter - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    // Bounded so a clock that jumps (suspend, NTP) is noticed within an hour.
                    await Task.Delay(wait > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : wait, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                try
                {
                    RenewResult renewed = await connection.Rpc.InvokeAsync(FleetMethods.Renew, EmptyParams.Instance, cancellationToken, _options.HandshakeCallTimeout).ConfigureAwait(false);
                    FleetState? state = TryLoad();
                    if (state is null)
                    {
                        return;
                    }

                    FleetEnrolment updated = ApplyCertificate(state.Enrolment, state.CertificatePem, renewed.Certificate, renewed.NotAfter, renewed.RenewAfter);
                    if (updated.RenewAfter <= _time.GetUtcNow())
                    {
                        // The server gave no later renewal time: do not ask again in a loop.
                        await Task.Delay(_options.RenewRetry, _time, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is RpcException or RpcTimeoutException or InvalidDataException or CryptographicException)
                {
                    Log.FleetRenewFailed(_logger, FleetErrors.Clip(ex.Message));
                    await Task.Delay(_options.RenewRetry, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or RpcConnectionLostException or ObjectDisposedException)
        {
            // The connection ended; the next one renews if it is still due.
        }
    }

    /// <summary>Stores a certificate the server returned if it is new; returns the enrolment as it now stands.</summary>
    private FleetEnrolment ApplyCertificate(FleetEnrolment enrolment, string currentPem, string certificatePem, long notAfter, long renewAfter)
    {
        if (certificatePem == currentPem && enrolment.NotAfter.ToUnixTimeSeconds() == notAfter && enrolment.RenewAfter.ToUnixTimeSeconds() == renewAfter)
        {
            return enrolment;
        }

        EcPublicKey key = _identity.PublicKey() ?? throw new InvalidDataException("The machine identity is not ready.");
        FleetServerUrl server = FleetServerUrl.Parse(enrolment.Server);
        CheckCertificate(certificatePem, enrolment.SpiffeId, key, server);
        FleetEnrolment updated = enrolment with
        {
            NotAfter = DateTimeOffset.FromUnixTimeSeconds(notAfter),
            RenewAfter = DateTimeOffset.FromUnixTimeSeconds(renewAfter),
        };
        _stateStore.SaveRenewal(updated, certificatePem);
        lock (_lock)
        {
            SetEnrolmentLocked(updated);
        }

        Log.FleetCertificateRenewed(_logger, updated.NotAfter, updated.RenewAfter);
        return updated;
    }

    /// <summary>The server's certificate must be for this machine's key and carry the SPIFFE id it announced.</summary>
    private static void CheckCertificate(string pem, string spiffeId, EcPublicKey key, FleetServerUrl server)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            throw new FleetLinkException($"The fleet server {server} returned a machine certificate that is not PEM: {ex.Message}");
        }

        using (certificate)
        {
            using ECDsa? publicKey = certificate.GetECDsaPublicKey();
            ECParameters? parameters = publicKey?.ExportParameters(false);
            if (parameters is not ECParameters p || p.Q.X is null || p.Q.Y is null || !p.Q.X.AsSpan().SequenceEqual(key.X) || !p.Q.Y.AsSpan().SequenceEqual(key.Y))
            {
                throw new FleetLinkException($"The fleet server {server} returned a machine certificate for another key than this machine's.");
            }

            if (!spiffeId.StartsWith("spiffe://", StringComparison.Ordinal) || spiffeId.Length > 2048)
            {
                throw new FleetLinkException($"The fleet server {server} returned an invalid SPIFFE id.");
            }
        }
    }

    private static async Task<T> CallAsync<T>(FleetConnection connection, string call, Func<Task<T>> invoke)
    {
        try
        {
            return await invoke().ConfigureAwait(false);
        }
        catch (Exception ex) when (FleetErrors.From(ex, call, connection.Server) is FleetLinkException failure)
        {
            throw failure;
        }
    }

    private async ValueTask<FleetFacts> MachineFactsAsync(RpcCallContext context)
    {
        RequireAuthenticated(context);
        return await FleetFactsReader.ReadAsync().ConfigureAwait(false);
    }

    private ValueTask<FleetProveResult> ProveAsync(RpcCallContext context, ProveParams request)
    {
        FleetConnection connection = RequireAuthenticated(context);
        Log.FleetProofRequested(_logger, request.Audience);
        // cb binds a proof to this TLS connection, which only means something when the server itself is the audience.
        string? binding = request.Audience == connection.Server.Audience ? connection.ChannelBinding : null;
        string proof = _identity.SignFleetProof(request.Audience, request.Nonce, connection.MachineId, binding);
        return ValueTask.FromResult(new FleetProveResult { Proof = proof });
    }

    private async ValueTask<FleetNotificationResult> NotificationSendAsync(RpcCallContext context, FleetNotificationParams request)
    {
        RequireAuthenticated(context);
        await _notifications.SendFromFleetAsync(request, _options.NotificationLifetime).ConfigureAwait(false);
        return new FleetNotificationResult { Accepted = true };
    }

    private FleetConnection RequireAuthenticated(RpcCallContext context)
    {
        var connection = (FleetConnection)context.Connection.State!;
        if (!connection.IsAuthenticated)
        {
            Log.FleetCallBeforeAuthentication(_logger, context.Method);
            throw new RpcException(FleetErrorCodes.NotAuthenticated, "This daemon serves the server's calls only after it has authenticated.");
        }

        return connection;
    }

    private FleetState? TryLoad()
    {
        try
        {
            FleetState? state = _stateStore.Load();
            lock (_lock)
            {
                SetEnrolmentLocked(state?.Enrolment);
            }

            return state;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private void RequestRestart()
    {
        lock (_lock)
        {
            _restartNow = true;
            _attempt?.Cancel();
        }

        _wake.Set();
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await _wake.WaitAsync(delay, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void SetEnrolmentLocked(FleetEnrolment? enrolment)
    {
        _enrolment = enrolment;
        _machineId.Value = enrolment?.MachineId;
    }

    private void SetConnected(FleetEnrolment enrolment)
    {
        lock (_lock)
        {
            SetEnrolmentLocked(enrolment);
            _connected = true;
            _since = _time.GetUtcNow();
            _lastError = null;
            _lastErrorCode = null;
            _nextAttemptAt = null;
        }
    }

    private void SetDisconnected(string? reason)
    {
        lock (_lock)
        {
            if (_connected)
            {
                _since = _time.GetUtcNow();
            }

            _connected = false;
            if (reason is not null)
            {
                _lastError = reason;
            }
        }
    }

    private void SetError(string message, int? code, bool disconnected)
    {
        lock (_lock)
        {
            if (_connected && disconnected)
            {
                _since = _time.GetUtcNow();
                _connected = false;
            }

            _since ??= _time.GetUtcNow();
            _lastError = message;
            _lastErrorCode = code;
        }
    }

    public override void Dispose()
    {
        _enrolLock.Dispose();
        base.Dispose();
    }
}
