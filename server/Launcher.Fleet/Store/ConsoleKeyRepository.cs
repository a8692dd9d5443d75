using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Xml;
using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Logging;

namespace Launcher.Fleet.Store;

/// <summary>
/// The web console's Data Protection key ring (the keys that protect antiforgery tokens), kept in the fleet database
/// (table <c>console_keys</c>) so that every instance on one database reads the same keys: a form rendered by one
/// instance is accepted by any other, and by the same one after a restart. One row per element (a key or a
/// revocation), named by Data Protection's friendly name (<c>key-{guid}</c>), so two instances that create a key at
/// once both keep theirs, and storing an element twice (an import run twice) stores it once.
/// </summary>
/// <remarks>
/// The keys are stored as Data Protection writes them, unencrypted: the database's own access control is what guards
/// them (docs/threat-model.md). Reads are bounded: elements expired longer ago than
/// <see cref="FleetServerLimits.ConsoleKeyGrace"/> are not read (and the sweeper deletes them), and at most
/// <see cref="FleetServerLimits.MaxConsoleKeyElements"/> are read, newest first.
/// </remarks>
internal sealed class ConsoleKeyRepository : IXmlRepository
{
    private const string InsertSql =
        "INSERT INTO console_keys (name, xml, created_at, expires_at) VALUES (@name, @xml, @createdAt, @expiresAt) ON CONFLICT (name) DO NOTHING";

    private readonly FleetDatabase _database;
    private readonly FleetServerLimits _limits;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ConsoleKeyRepository(FleetDatabase database, FleetServerLimits limits, TimeProvider time, ILogger<ConsoleKeyRepository> logger)
    {
        _database = database;
        _limits = limits;
        _time = time;
        _logger = logger;
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private long GraceMs => (long)_limits.ConsoleKeyGrace.TotalMilliseconds;

    /// <summary>Every element not expired longer ago than the grace period, newest first, at most the bound.</summary>
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        List<(string Name, string Xml)> rows;
        using (DbConnection connection = _database.Open())
        {
            rows = connection.Query<(string Name, string Xml)>(
                "SELECT name, xml FROM console_keys WHERE expires_at > @cutoff ORDER BY created_at DESC, name LIMIT @max",
                new { cutoff = NowMs - GraceMs, max = (long)_limits.MaxConsoleKeyElements }).AsList();
        }

        if (rows.Count >= _limits.MaxConsoleKeyElements)
        {
            Log.ConsoleKeysTruncated(_logger, rows.Count, _limits.ConsoleKeyGrace);
        }

        var elements = new List<XElement>(rows.Count);
        foreach ((string name, string xml) in rows)
        {
            try
            {
                elements.Add(XElement.Parse(xml));
            }
            catch (XmlException ex)
            {
                Log.ConsoleKeyUnreadable(_logger, name, ex.Message);
            }
        }

        return elements;
    }

    /// <summary>Stores a new element; an element of the same name already there is kept as it is.</summary>
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        long now = NowMs;
        using DbConnection connection = _database.Open();
        connection.Execute(InsertSql, Row(element, NameOf(friendlyName), now));
    }

    /// <summary>
    /// Imports the key files of a data dir from before the key ring moved into the database (<c>DATA_DIR/console-keys</c>,
    /// Data Protection's file layout: one <c>NAME.xml</c> per element), then deletes each file imported and the
    /// directory once empty, so it is read once. A file that is not a key file is left in place and logged. Returns
    /// the number of elements imported (new to the database).
    /// </summary>
    public async Task<int> ImportDirectoryAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        long now = NowMs;
        var imported = new List<string>();
        int added = 0;
        await using (DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (string file in Directory.EnumerateFiles(directory, "*.xml").Order(StringComparer.Ordinal).Take(_limits.MaxConsoleKeyElements))
            {
                XElement element;
                try
                {
                    element = XElement.Load(file);
                }
                catch (Exception ex) when (ex is XmlException or IOException or UnauthorizedAccessException)
                {
                    Log.ConsoleKeyFileUnreadable(_logger, file, ex.Message);
                    continue;
                }

                added += await connection.ExecuteAsync(InsertSql, Row(element, NameOf(Path.GetFileNameWithoutExtension(file)), now)).ConfigureAwait(false);
                imported.Add(file);
            }
        }

        // Only once the rows are committed (each statement commits on its own) are the files removed.
        foreach (string file in imported)
        {
            File.Delete(file);
        }

        try
        {
            if (!Directory.EnumerateFileSystemEntries(directory).Any())
            {
                Directory.Delete(directory);
            }
        }
        catch (IOException)
        {
            // Another instance on a shared data dir removed it first, or a file was added: left for the next start.
        }

        Log.ConsoleKeysImported(_logger, added, imported.Count - added, directory);
        return added;
    }

    /// <summary>Deletes the elements expired longer ago than the grace period (the sweeper calls it); returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync("DELETE FROM console_keys WHERE expires_at <= @cutoff", new { cutoff = NowMs - GraceMs }).ConfigureAwait(false);
    }

    private static string NameOf(string? friendlyName) =>
        string.IsNullOrWhiteSpace(friendlyName) ? "element-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) : friendlyName;

    private object Row(XElement element, string name, long now)
    {
        long lifetime = (long)_limits.ConsoleKeyLifetime.TotalMilliseconds;
        (long createdAt, long expiresAt) = element.Name.LocalName switch
        {
            // A key: from its own dates.
            "key" => (DateOf(element, "creationDate") ?? now, DateOf(element, "expirationDate") ?? now + lifetime),

            // A revocation matters while a key it names is read; every such key was created before the revocation,
            // so it expires within a key lifetime of it.
            "revocation" => (DateOf(element, "revocationDate") ?? now, (DateOf(element, "revocationDate") ?? now) + lifetime),
            _ => (now, now + lifetime),
        };
        return new { name, xml = element.ToString(SaveOptions.DisableFormatting), createdAt, expiresAt };
    }

    private static long? DateOf(XElement element, string child) =>
        DateTimeOffset.TryParse(element.Element(child)?.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset value)
            ? value.ToUnixTimeMilliseconds()
            : null;
}
