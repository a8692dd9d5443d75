using System.Security.Cryptography.X509Certificates;
using Launcher.Contracts.Fleet;
using Launcher.Fleet.Pki;
using Launcher.Fleet.Store;

namespace Launcher.Fleet.Services;

/// <summary>Issues and renews machine certificates (lifetime from the limits; renewal due at half-life).</summary>
internal sealed class CertificateService
{
    private readonly FleetContext _context;

    public CertificateService(FleetContext context)
    {
        _context = context;
    }

    public IssuedCertificate Issue(string machineId, string publicKeyBase64)
    {
        DateTimeOffset now = _context.Time.GetUtcNow();
        TimeSpan lifetime = _context.Limits.MachineCertificateLifetime;
        string spiffeId = SpiffeId.ForMachine(_context.Options.TrustDomain, machineId);
        using X509Certificate2 certificate = _context.Pki.IssueMachineCertificate(Convert.FromBase64String(publicKeyBase64), spiffeId, now.AddMinutes(-5), now + lifetime);
        DateTimeOffset notAfter = new(certificate.NotAfter.ToUniversalTime());
        return new IssuedCertificate(certificate.ExportCertificatePem(), certificate.SerialNumber, notAfter, RenewAfter(notAfter));
    }

    /// <summary>Half the configured lifetime before the end.</summary>
    public DateTimeOffset RenewAfter(DateTimeOffset notAfter) => notAfter - (_context.Limits.MachineCertificateLifetime / 2);

    public bool NeedsRenewal(MachineRow machine) =>
        machine.Certificate is null || machine.CertNotAfter is not long notAfter
        || _context.Time.GetUtcNow() >= RenewAfter(DateTimeOffset.FromUnixTimeMilliseconds(notAfter));

    public EnrollResult Result(MachineRow machine, IReadOnlyList<string> grants) => new()
    {
        MachineId = machine.Id,
        SpiffeId = SpiffeId.ForMachine(_context.Options.TrustDomain, machine.Id),
        Certificate = machine.Certificate!,
        CaCertificate = _context.Pki.CaPem,
        NotAfter = machine.CertNotAfter!.Value / 1000,
        RenewAfter = RenewAfter(DateTimeOffset.FromUnixTimeMilliseconds(machine.CertNotAfter!.Value)).ToUnixTimeSeconds(),
        AttestationLevel = machine.AttestationLevel,
        TpmMaker = machine.TpmMaker,
        Grants = grants,
    };
}
