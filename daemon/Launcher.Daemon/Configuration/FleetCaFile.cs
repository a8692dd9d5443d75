using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Launcher.Contracts.FleetLink;
using Launcher.Platform.Configuration;
using Launcher.Platform.Files;

namespace Launcher.Daemon.Configuration;

/// <summary>
/// Reads <c>fleet:caFile</c> at start: the CA the fleet link pins decides which server the machine trusts with its
/// identity, so the file (or the file a symbolic link resolves to) must be a regular file owned by root (or the
/// daemon's own uid, for a <c>--dev</c> daemon), not writable by group or others, at most
/// <see cref="FleetLinkLimits.MaxCaPemLength"/> bytes, and hold PEM certificates only.
/// </summary>
internal static class FleetCaFile
{
    private const UnixFileMode WritableByOthers = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>The PEM text of <paramref name="path"/>; <paramref name="invalid"/> makes the error naming the key.</summary>
    public static string Read(string path, uint allowedOwner, Func<string, ConfigurationException> invalid)
    {
        ArgumentNullException.ThrowIfNull(invalid);
        string target = path;
        byte[] data;
        try
        {
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw invalid($"{path} does not exist");
            }

            if (File.ResolveLinkTarget(path, returnFinalTarget: true) is FileSystemInfo resolved)
            {
                target = resolved.FullName;
            }

            FileKind kind = FileStatus.LIdentity(target).Kind;
            if (kind != FileKind.Regular)
            {
                throw invalid($"{path} is {FileStatus.Describe(kind)}, not a PEM file");
            }

            (uint owner, UnixFileMode mode, _, _) = FileStatus.LStat(target);
            if (owner != 0 && owner != allowedOwner)
            {
                throw invalid($"{path} is owned by uid {owner}; the fleet CA must be owned by root (chown root {path})");
            }

            if ((mode & WritableByOthers) != 0)
            {
                throw invalid($"{path} is writable by group or others; refusing to pin a CA others can replace (chmod go-w {path})");
            }

            using var stream = new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > FleetLinkLimits.MaxCaPemLength)
            {
                throw invalid($"{path} is {stream.Length} bytes; a fleet CA file may have at most {FleetLinkLimits.MaxCaPemLength}");
            }

            data = new byte[stream.Length];
            stream.ReadExactly(data);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw invalid($"cannot read {path}: {ex.Message}");
        }

        string pem;
        try
        {
            pem = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(data);
        }
        catch (DecoderFallbackException)
        {
            throw invalid($"{path} is not a PEM file (it is not text)");
        }

        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPem(pem);
            int count = certificates.Count;
            foreach (X509Certificate2 certificate in certificates)
            {
                certificate.Dispose();
            }

            return count == 0 ? throw invalid($"{path} holds no PEM certificate") : pem;
        }
        catch (CryptographicException ex)
        {
            throw invalid($"{path} is not a PEM certificate file: {ex.Message}");
        }
    }
}
