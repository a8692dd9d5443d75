namespace Launcher.Fleet.Services;

/// <summary>A machine certificate just issued.</summary>
internal sealed record IssuedCertificate(string Pem, string Serial, DateTimeOffset NotAfter, DateTimeOffset RenewAfter);
