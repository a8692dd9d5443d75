using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Launcher.Platform.Files;

namespace Launcher.Daemon.Fleet;

/// <summary>
/// The fleet state files in the state directory: fleet.json, fleet-ca.pem (the pinned CA, when one was given) and
/// machine-cert.pem. Each is written atomically, 0600, without following links. fleet.json is written last and
/// removed first, so it is the commit point: without it the machine is not enrolled, whatever else lies there.
/// </summary>
internal sealed class FleetStateStore
{
    public const string StateFile = "fleet.json";
    public const string CaFile = "fleet-ca.pem";
    public const string CertificateFile = "machine-cert.pem";
    private const int MaxFileBytes = 256 * 1024;

    private readonly string _directory;

    public FleetStateStore(string stateDirectory)
    {
        _directory = stateDirectory;
    }

    public string StatePath => Path.Combine(_directory, StateFile);

    public string CaPath => Path.Combine(_directory, CaFile);

    public string CertificatePath => Path.Combine(_directory, CertificateFile);

    /// <summary>The stored state, or null when the machine is not enrolled. Throws <see cref="InvalidDataException"/>
    /// when the files are there but unusable (the link reports it as its last error).</summary>
    public FleetState? Load()
    {
        if (!File.Exists(StatePath) && !SecureFile.IsSymbolicLink(StatePath))
        {
            return null;
        }

        try
        {
            FleetEnrolment enrolment = JsonSerializer.Deserialize(SecureFile.ReadAllBytes(StatePath, MaxFileBytes), FleetJsonContext.Default.FleetEnrolment)
                ?? throw new InvalidDataException($"{StatePath} is empty.");
            if (!FleetServerUrl.TryParse(enrolment.Server, out FleetServerUrl? server, out string? error))
            {
                throw new InvalidDataException($"{StatePath}: {error}");
            }

            string certificate = Encoding.ASCII.GetString(SecureFile.ReadAllBytes(CertificatePath, MaxFileBytes));
            X509Certificate2Collection? ca = enrolment.CaPinned ? ParseCa(Encoding.ASCII.GetString(SecureFile.ReadAllBytes(CaPath, MaxFileBytes))) : null;
            return new FleetState(enrolment, server, certificate, ca);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidDataException($"The fleet state in {_directory} is unreadable: {ex.Message}", ex);
        }
    }

    /// <summary>Stores a new enrolment: certificate and CA first, fleet.json last.</summary>
    public void Save(FleetEnrolment enrolment, string certificatePem, string? caPem)
    {
        SecureFile.WriteAllBytesAtomic(CertificatePath, Encoding.ASCII.GetBytes(certificatePem));
        if (caPem is not null)
        {
            SecureFile.WriteAllBytesAtomic(CaPath, Encoding.ASCII.GetBytes(caPem));
        }
        else
        {
            SecureFile.TryDelete(CaPath);
        }

        SecureFile.WriteAllBytesAtomic(StatePath, JsonSerializer.SerializeToUtf8Bytes(enrolment, FleetJsonContext.Default.FleetEnrolment));
    }

    /// <summary>A renewed certificate: the certificate file, then the dates in fleet.json.</summary>
    public void SaveRenewal(FleetEnrolment enrolment, string certificatePem)
    {
        SecureFile.WriteAllBytesAtomic(CertificatePath, Encoding.ASCII.GetBytes(certificatePem));
        SecureFile.WriteAllBytesAtomic(StatePath, JsonSerializer.SerializeToUtf8Bytes(enrolment, FleetJsonContext.Default.FleetEnrolment));
    }

    /// <summary>Forgets the server: fleet.json first, then the certificate and the pinned CA.</summary>
    public void Delete()
    {
        SecureFile.TryDelete(StatePath);
        SecureFile.TryDelete(CertificatePath);
        SecureFile.TryDelete(CaPath);
    }

    /// <summary>Every certificate of a PEM bundle; throws <see cref="CryptographicException"/> when there is none.</summary>
    public static X509Certificate2Collection ParseCa(string pem)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        if (collection.Count == 0)
        {
            throw new CryptographicException("The CA file holds no PEM certificate.");
        }

        return collection;
    }
}
