using Launcher.Contracts.Fleet;
using Launcher.Fleet.Pki;
using Launcher.Fleet.Policy;
using Launcher.Fleet.Store;

namespace Launcher.Fleet.Services;

/// <summary>
/// Read side for the admin API and the web console: machines with their state, evidence and grants (with why),
/// notifications with per-user outcomes, tokens, the audit log.
/// </summary>
internal sealed class FleetQueries
{
    private readonly FleetContext _context;
    private readonly CertificateService _certificates;

    public FleetQueries(FleetContext context, CertificateService certificates)
    {
        _context = context;
        _certificates = certificates;
    }

    public async Task<IReadOnlyList<MachineView>> ListMachinesAsync(int limit, int offset, CancellationToken cancellationToken)
    {
        IReadOnlyList<MachineRow> rows = await _context.Machines.ListAsync(Math.Clamp(limit, 1, _context.Limits.MaxPageSize), Math.Max(offset, 0), cancellationToken).ConfigureAwait(false);
        HashSet<string> online = await _context.Presence.OnlineAsync(FreshSince(), cancellationToken).ConfigureAwait(false);
        return rows.Select(row => View(row, online.Contains(row.Id), includePem: false)).ToList();
    }

    public async Task<MachineView?> GetMachineAsync(string id, CancellationToken cancellationToken)
    {
        MachineRow? row = await _context.Machines.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        bool online = await _context.Presence.InstanceOfAsync(id, FreshSince(), cancellationToken).ConfigureAwait(false) is not null;
        return View(row, online, includePem: true);
    }

    public async Task<NotificationView?> GetNotificationAsync(string id, CancellationToken cancellationToken)
    {
        NotificationRow? row = await _context.Notifications.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        IReadOnlyList<OutcomeRow> outcomes = await _context.Notifications.OutcomesAsync(id, cancellationToken).ConfigureAwait(false);
        return View(row, outcomes);
    }

    /// <summary>A broadcast with its counts and one page of machines; null when there is none with this id.</summary>
    public async Task<BroadcastView?> GetBroadcastAsync(string id, string? state, string? after, int limit, CancellationToken cancellationToken)
    {
        BroadcastRow? row = await _context.Broadcasts.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        limit = Math.Clamp(limit, 1, _context.Limits.MaxPageSize);
        IReadOnlyDictionary<string, long> states = await _context.Broadcasts.StateCountsAsync(id, cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<string, long> recipients = await _context.Broadcasts.OutcomeCountsAsync(id, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<BroadcastMachineRow> page = await _context.Broadcasts.MachinesAsync(id, state, after, limit + 1, cancellationToken).ConfigureAwait(false);
        bool more = page.Count > limit;
        List<BroadcastMachineRow> shown = page.Take(limit).ToList();
        ILookup<string, OutcomeRow> outcomes = (await _context.Notifications.OutcomesAsync(shown.Select(m => m.NotificationId).ToList(), cancellationToken).ConfigureAwait(false))
            .ToLookup(o => o.NotificationId, StringComparer.Ordinal);
        List<BroadcastMachineView> items = shown.Select(m => new BroadcastMachineView(
            m.MachineId,
            m.NotificationId,
            m.State,
            m.DeliveredAt is long delivered ? DateTimeOffset.FromUnixTimeMilliseconds(delivered) : null,
            outcomes[m.NotificationId].Select(Recipient).ToList())).ToList();
        return new BroadcastView(
            row.Id,
            row.AllMachines != 0 ? new BroadcastTargetView(true, null) : new BroadcastTargetView(null, row.Grp),
            row.Uid is long uid ? (uint)uid : null,
            row.AllUsers != 0,
            row.Title,
            row.Body,
            row.Url,
            DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt),
            row.CreatedBy,
            row.Machines,
            states,
            recipients,
            items,
            more ? shown[^1].MachineId : null);
    }

    public Task<IReadOnlyList<BroadcastRow>> RecentBroadcastsAsync(int limit, CancellationToken cancellationToken) => _context.Broadcasts.RecentAsync(limit, cancellationToken);

    public async Task<IReadOnlyList<NotificationView>> ListNotificationsAsync(string machineId, int limit, CancellationToken cancellationToken)
    {
        IReadOnlyList<NotificationRow> rows = await _context.Notifications.ListForMachineAsync(machineId, Math.Clamp(limit, 1, _context.Limits.MaxPageSize), cancellationToken).ConfigureAwait(false);
        var views = new List<NotificationView>(rows.Count);
        foreach (NotificationRow row in rows)
        {
            views.Add(View(row, await _context.Notifications.OutcomesAsync(row.Id, cancellationToken).ConfigureAwait(false)));
        }

        return views;
    }

    public async Task<IReadOnlyList<AuditView>> ListAuditAsync(int limit, long? beforeId, string? machineId, CancellationToken cancellationToken)
    {
        IReadOnlyList<AuditEntry> rows = await _context.Audit.ListAsync(Math.Clamp(limit, 1, _context.Limits.MaxPageSize), beforeId, machineId, cancellationToken).ConfigureAwait(false);
        return rows.Select(e => new AuditView(e.Id, DateTimeOffset.FromUnixTimeMilliseconds(e.At), e.Actor, e.Action, e.MachineId, e.Detail)).ToList();
    }

    public Task<IReadOnlyList<EnrolmentTokenRow>> ListEnrolmentTokensAsync(CancellationToken cancellationToken) => _context.Tokens.ListEnrolmentTokensAsync(cancellationToken);

    public IReadOnlyList<GrantView> GrantsOf(MachineRow row) =>
        _context.Policy.Evaluate(row.KeyClass, row.AttestationLevel, row.Grp, row.IsRevoked).Select(g => new GrantView(g.Grant, g.Why)).ToList();

    public static EvidenceView EvidenceOf(MachineRow row)
    {
        bool verified = row.AttestationLevel == AttestationLevels.TpmEkVerified;
        bool attested = row.AttestationLevel is AttestationLevels.TpmEkVerified or AttestationLevels.TpmEkAllowlisted or AttestationLevels.TpmUnverified;
        string summary = row.AttestationLevel switch
        {
            AttestationLevels.TpmEkVerified => "The key was certified by a TPM whose EK certificate chains to a trusted maker's root.",
            AttestationLevels.TpmEkAllowlisted => "The key was certified by a TPM whose EK is on the server's allow-list.",
            AttestationLevels.TpmUnverified => "The key was certified by an AK activated against the TPM's EK, but the EK itself is not vouched for by a trusted maker.",
            _ => $"Possession of the enrolled key only; the key class ({row.KeyClass}) is as the daemon reported it and the facts are not verified.",
        };
        return new EvidenceView(row.KeyClass, attested ? "attested" : "reported", row.AttestationLevel, verified, summary, row.TpmMaker, row.AttestationDetail);
    }

    public MachineView View(MachineRow row, bool online, bool includePem)
    {
        CertificateView? certificate = row.CertNotAfter is long notAfter && row.CertSerial is not null
            ? new CertificateView(row.CertSerial, DateTimeOffset.FromUnixTimeMilliseconds(notAfter), _certificates.RenewAfter(DateTimeOffset.FromUnixTimeMilliseconds(notAfter)), includePem ? row.Certificate : null)
            : null;
        return new MachineView(
            row.Id,
            SpiffeId.ForMachine(_context.Options.TrustDomain, row.Id),
            row.Thumbprint,
            row.KeyClass,
            row.AttestationLevel,
            row.Grp,
            new ReportedFacts(true, row.Serial, row.HardwareUuid, row.Model, row.OsName, row.OsVersion, row.Hostname),
            certificate,
            online && !row.IsRevoked,
            row.LastSeen is long seen ? DateTimeOffset.FromUnixTimeMilliseconds(seen) : null,
            DateTimeOffset.FromUnixTimeMilliseconds(row.EnrolledAt),
            row.IsRevoked,
            row.RevokedAt is long revokedAt ? DateTimeOffset.FromUnixTimeMilliseconds(revokedAt) : null,
            EvidenceOf(row),
            row.AppleAttestedAt is long attestedAt && row.AppleSerialMatch is not null
                ? new AppleAttestationView(row.AppleSerial, row.AppleUdid, row.AppleOsVersion, row.AppleSerialMatch, row.AppleLeafSha256 ?? string.Empty, DateTimeOffset.FromUnixTimeMilliseconds(attestedAt))
                : null,
            GrantsOf(row));
    }

    private static NotificationView View(NotificationRow row, IReadOnlyList<OutcomeRow> outcomes) => new(
        row.Id,
        row.MachineId,
        row.Uid is long uid ? (uint)uid : null,
        row.AllUsers != 0,
        row.Title,
        row.Body,
        row.Url,
        DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt),
        row.CreatedBy,
        row.DeliveredAt is long delivered ? DateTimeOffset.FromUnixTimeMilliseconds(delivered) : null,
        outcomes.Select(Recipient).ToList(),
        row.BroadcastId);

    private static RecipientView Recipient(OutcomeRow o) => new((uint)o.Uid, o.Outcome, o.Action, o.At is long at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null);

    private long FreshSince() => _context.NowMs - (long)_context.Limits.PresenceStaleAfter.TotalMilliseconds;
}
