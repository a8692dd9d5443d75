using System.Security.Cryptography.X509Certificates;

namespace Launcher.Daemon.Fleet;

/// <summary>What the daemon knows of its fleet server, loaded from the state directory.</summary>
internal sealed record FleetState(FleetEnrolment Enrolment, FleetServerUrl Server, string CertificatePem, X509Certificate2Collection? PinnedCa);
