using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;
using Launcher.Fleet.Store;

namespace Launcher.Fleet.Cli;

/// <summary>
/// <c>launcher-fleet run | token create|list|revoke | admin-token create|list|revoke</c>. Token commands work on the same data dir or
/// database as a running server (SQLite in WAL mode, or PostgreSQL). Exit codes: 0 ok, 1 failed, 2 usage.
/// </summary>
internal static class FleetCommandLine
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var dataDir = new Option<string>("--data-dir") { Description = "Where the fleet CA, the TLS certificate and (by default) the SQLite database live.", Required = true, Recursive = true };
        var db = new Option<string?>("--db") { Description = "sqlite (default, DATA_DIR/fleet.db), sqlite:PATH, postgres://user:pass@host:port/db, or an Npgsql connection string (Host=…).", Recursive = true };
        var root = new RootCommand("launcher-fleet: the Launcher fleet server (enrolment, machine certificates, grants, push).")
        {
            dataDir,
            db,
            RunCommand(dataDir, db, output),
            TokenCommand(dataDir, db, output),
            AdminTokenCommand(dataDir, db, output),
        };
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (ParseError parseError in parse.Errors)
            {
                error.WriteLine("launcher-fleet: " + parseError.Message);
            }

            error.WriteLine("Try 'launcher-fleet --help'.");
            return 2;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (FleetConfigurationException ex)
        {
            error.WriteLine("launcher-fleet: " + ex.Message);
            return 2;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            error.WriteLine("launcher-fleet: " + ex.Message);
            return 1;
        }
    }

    private static Command RunCommand(Option<string> dataDir, Option<string?> db, TextWriter output)
    {
        var listen = new Option<string>("--listen") { Description = "https://IP:PORT to listen on.", DefaultValueFactory = _ => "https://127.0.0.1:8443" };
        var trustDomain = new Option<string>("--trust-domain") { Description = "SPIFFE trust domain of machine certificates.", DefaultValueFactory = _ => "fleet.local" };
        var publicUrl = new Option<string?>("--public-url") { Description = "The https URL machines use (the proofs' aud); default: the listen URL." };
        var policy = new Option<string?>("--policy") { Description = "A JSON policy file mapping key class, group and revocation to grants (docs/fleet-api.md)." };
        var tpmRoots = new Option<string?>("--tpm-roots") { Description = "A directory of TPM makers' root (and intermediate) certificates (PEM or DER) EK certificates must chain to; none are trusted by default." };
        var ekAllowList = new Option<string?>("--ek-allowlist") { Description = "A file of EK public key SHA-256 fingerprints (hex, one a line) for TPMs without a certificate." };
        var command = new Command("run", "Run the server (HTTPS only). First start creates the fleet CA and the TLS certificate in DATA_DIR/pki.")
        {
            listen, trustDomain, publicUrl, policy, tpmRoots, ekAllowList,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new FleetServerOptions
            {
                Listen = ParseUrl(parse.GetValue(listen)!, "--listen"),
                DataDirectory = Path.GetFullPath(parse.GetValue(dataDir)!),
                Database = parse.GetValue(db),
                TrustDomain = parse.GetValue(trustDomain)!,
                PublicUrl = parse.GetValue(publicUrl) is string url ? ParseUrl(url, "--public-url") : null,
                PolicyFile = parse.GetValue(policy),
                TpmTrust = LoadTpmTrust(parse.GetValue(tpmRoots), parse.GetValue(ekAllowList)),
            };
            await using FleetServer server = await FleetServer.StartAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
            Pki.FleetPki pki = server.Pki;
            await output.WriteLineAsync($"launcher-fleet: listening on {server.Url} (aud {server.Context.Audience}); database {server.Context.Database.Description}").ConfigureAwait(false);
            await output.WriteLineAsync($"  fleet CA:        {pki.CaCertificatePath} (key {pki.CaKeyPath}, 0600){(pki.Created ? " [created]" : string.Empty)}").ConfigureAwait(false);
            await output.WriteLineAsync($"  TLS certificate: {pki.TlsCertificatePath} (key {pki.TlsKeyPath}, 0600)").ConfigureAwait(false);
            await output.WriteLineAsync($"  TLS SHA-256 (cb): {pki.TlsCertificateHash}").ConfigureAwait(false);
            await output.WriteLineAsync($"  policy:          {server.Context.Policy.Source}").ConfigureAwait(false);
            await output.WriteLineAsync($"  web console:     {new Uri(server.Url, "/console/")} (sign in with an admin token)").ConfigureAwait(false);
            await server.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command TokenCommand(Option<string> dataDir, Option<string?> db, TextWriter output)
    {
        var uses = new Option<int>("--uses") { Description = "How many machines may enrol with it.", DefaultValueFactory = _ => 1 };
        var expires = new Option<string>("--expires") { Description = "Lifetime: 30m, 24h, 7d.", DefaultValueFactory = _ => "24h" };
        var group = new Option<string?>("--group") { Description = "The group machines enrolled with it join." };
        var minLevel = new Option<string?>("--min-level") { Description = $"The weakest attestation level a machine may enrol with using this token ({string.Join(", ", Policy.AttestationRank.Requirable)}); the strictest of this, the policy's group and global minimum applies." };
        var json = new Option<bool>("--json") { Description = "Print {id, token, expiresAt, uses, group, minLevel} as JSON." };
        var create = new Command("create", "Create an enrolment token (stored hashed; printed once).") { uses, expires, group, minLevel, json };
        create.Validators.Add(result =>
        {
            // Only options given on the command line are checked here; the defaults are valid.
            if (result.GetResult(uses) is not null && result.GetValue(uses) is < 1 or > 100_000)
            {
                result.AddError("--uses must be 1 to 100000.");
            }

            if (result.GetResult(expires) is not null && !DurationParser.TryParse(result.GetValue(expires), out _))
            {
                result.AddError("--expires must be a duration such as 30m, 24h or 7d (at most 366d).");
            }

            if (result.GetValue(group) is { } g && (g.Length is 0 or > 64 || g.Any(char.IsControl)))
            {
                result.AddError("--group must be 1 to 64 printable characters.");
            }

            if (result.GetValue(minLevel) is { } level && !Policy.AttestationRank.IsRequirable(level))
            {
                result.AddError($"--min-level: '{level}' is not an attestation level; use one of {string.Join(", ", Policy.AttestationRank.Requirable)}.");
            }
        });
        create.SetAction(async (parse, cancellationToken) =>
        {
            if (!DurationParser.TryParse(parse.GetValue(expires) ?? "24h", out TimeSpan lifetime))
            {
                lifetime = TimeSpan.FromHours(24);
            }

            await using FleetDatabase database = await OpenAsync(parse.GetValue(dataDir)!, parse.GetValue(db), cancellationToken).ConfigureAwait(false);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            CreatedToken token = await new TokenStore(database).CreateEnrolmentTokenAsync(parse.GetValue(uses), now + lifetime, parse.GetValue(group), parse.GetValue(minLevel), now.ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
            await new AuditStore(database).AppendAsync(now.ToUnixTimeMilliseconds(), "cli", "token.created", null, TokenCreatedDetail(token), cancellationToken).ConfigureAwait(false);
            await WriteTokenAsync(output, token, parse.GetValue(json)).ConfigureAwait(false);
            return 0;
        });
        var listJson = new Option<bool>("--json") { Description = "Print the tokens as a JSON array." };
        var list = new Command("list", "List enrolment tokens (ids, uses left, expiry, group, minimum level; never the secrets).") { listJson };
        list.SetAction(async (parse, cancellationToken) =>
        {
            await using FleetDatabase database = await OpenAsync(parse.GetValue(dataDir)!, parse.GetValue(db), cancellationToken).ConfigureAwait(false);
            IReadOnlyList<EnrolmentTokenRow> rows = await new TokenStore(database).ListEnrolmentTokensAsync(cancellationToken).ConfigureAwait(false);
            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            if (parse.GetValue(listJson))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(rows.Select(r => new Dictionary<string, object?>
                {
                    ["id"] = r.Id,
                    ["usesLeft"] = r.UsesLeft,
                    ["expiresAt"] = r.ExpiresAt / 1000,
                    ["group"] = r.Grp,
                    ["minLevel"] = r.MinLevel,
                    ["revoked"] = r.Revoked != 0,
                }))).ConfigureAwait(false);
                return 0;
            }

            foreach (EnrolmentTokenRow row in rows)
            {
                string state = row.Revoked != 0 ? "revoked" : row.ExpiresAt <= now ? "expired" : row.UsesLeft <= 0 ? "used up" : "valid";
                await output.WriteLineAsync($"{row.Id}  {state,-8}  uses left {row.UsesLeft}  expires {DateTimeOffset.FromUnixTimeMilliseconds(row.ExpiresAt):u}  group {row.Grp ?? "-"}  min-level {row.MinLevel ?? "-"}").ConfigureAwait(false);
            }

            return 0;
        });
        var id = new Argument<string>("id") { Description = "The token's id (et_…), from token list or token create --json." };
        var revoke = new Command("revoke", "Revoke an enrolment token: no machine can enrol with it any more.") { id };
        revoke.SetAction(async (parse, cancellationToken) =>
        {
            await using FleetDatabase database = await OpenAsync(parse.GetValue(dataDir)!, parse.GetValue(db), cancellationToken).ConfigureAwait(false);
            string tokenId = parse.GetValue(id)!;
            if (!await new TokenStore(database).RevokeEnrolmentTokenAsync(tokenId, cancellationToken).ConfigureAwait(false))
            {
                await output.WriteLineAsync($"launcher-fleet: no enrolment token {tokenId}").ConfigureAwait(false);
                return 1;
            }

            await new AuditStore(database).AppendAsync(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), "cli", "token.revoked", null, tokenId, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"revoked {tokenId}").ConfigureAwait(false);
            return 0;
        });
        return new Command("token", "Enrolment tokens.") { create, list, revoke };
    }

    private static Command AdminTokenCommand(Option<string> dataDir, Option<string?> db, TextWriter output)
    {
        var json = new Option<bool>("--json") { Description = "Print {id, token} as JSON." };
        var create = new Command("create", "Create an admin API token (stored hashed; printed once).") { json };
        create.SetAction(async (parse, cancellationToken) =>
        {
            await using FleetDatabase database = await OpenAsync(parse.GetValue(dataDir)!, parse.GetValue(db), cancellationToken).ConfigureAwait(false);
            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            CreatedToken token = await new TokenStore(database).CreateAdminTokenAsync(now, cancellationToken).ConfigureAwait(false);
            await new AuditStore(database).AppendAsync(now, "cli", "admin-token.created", null, token.Id, cancellationToken).ConfigureAwait(false);
            await WriteTokenAsync(output, token, parse.GetValue(json)).ConfigureAwait(false);
            return 0;
        });
        var listJson = new Option<bool>("--json") { Description = "Print the admin tokens as a JSON array." };
        var list = new Command("list", "List admin tokens (id, created, last used, revoked; never the secrets or their hashes).") { listJson };
        list.SetAction(async (parse, cancellationToken) =>
        {
            await using FleetDatabase database = await OpenAsync(parse.GetValue(dataDir)!, parse.GetValue(db), cancellationToken).ConfigureAwait(false);
            IReadOnlyList<AdminTokenRow> rows = await new TokenStore(database).ListAdminTokensAsync(cancellationToken).ConfigureAwait(false);
            await new AuditStore(database).AppendAsync(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), "cli", "admin-token.listed", null, $"{rows.Count} admin token(s)", cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(listJson))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(rows.Select(r => new Dictionary<string, object?>
                {
                    ["id"] = r.Id,
                    ["createdAt"] = r.CreatedAt / 1000,
                    ["lastUsedAt"] = r.LastUsedAt / 1000,
                    ["revoked"] = r.Revoked != 0,
                    ["revokedAt"] = r.RevokedAt / 1000,
                }))).ConfigureAwait(false);
                return 0;
            }

            foreach (AdminTokenRow row in rows)
            {
                string lastUsed = row.LastUsedAt is long used ? DateTimeOffset.FromUnixTimeMilliseconds(used).ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "never";
                await output.WriteLineAsync($"{row.Id}  {(row.Revoked != 0 ? "revoked" : "valid"),-7}  created {DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt):u}  last used {lastUsed}").ConfigureAwait(false);
            }

            return 0;
        });
        var id = new Argument<string>("id") { Description = "The admin token's id (at_…), from admin-token list or admin-token create --json." };
        var revoke = new Command("revoke", "Revoke an admin token: the API and the console refuse it from the next request on, and its console sessions end.") { id };
        revoke.SetAction(async (parse, cancellationToken) =>
        {
            await using FleetDatabase database = await OpenAsync(parse.GetValue(dataDir)!, parse.GetValue(db), cancellationToken).ConfigureAwait(false);
            string tokenId = parse.GetValue(id)!;
            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            bool? wasLive = await new TokenStore(database).RevokeAdminTokenAsync(tokenId, now, cancellationToken).ConfigureAwait(false);
            if (wasLive is null)
            {
                await output.WriteLineAsync($"launcher-fleet: no admin token {tokenId}").ConfigureAwait(false);
                return 1;
            }

            await new AuditStore(database).AppendAsync(now, "cli", "admin-token.revoked", null, wasLive.Value ? tokenId : tokenId + " (already revoked)", cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(wasLive.Value ? $"revoked {tokenId}" : $"{tokenId} was already revoked").ConfigureAwait(false);
            return 0;
        });
        return new Command("admin-token", "Admin API and console tokens.") { create, list, revoke };
    }

    /// <summary>The audit detail of a created enrolment token (never its secret).</summary>
    public static string TokenCreatedDetail(CreatedToken token) =>
        $"{token.Id}: {token.Uses} use(s), expires {token.ExpiresAt:O}, group {token.Group ?? "-"}, min-level {token.MinLevel ?? "-"}";

    private static async Task<FleetDatabase> OpenAsync(string dataDir, string? db, CancellationToken cancellationToken)
    {
        string directory = Path.GetFullPath(dataDir);
        Pki.SecureFiles.CreatePrivateDirectory(directory);
        FleetDatabase database = FleetDatabase.Open(db, directory);
        try
        {
            await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return database;
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task WriteTokenAsync(TextWriter output, CreatedToken token, bool json)
    {
        if (!json)
        {
            await output.WriteLineAsync(token.Token).ConfigureAwait(false);
            return;
        }

        var body = new Dictionary<string, object?> { ["id"] = token.Id, ["token"] = token.Token };
        if (token.ExpiresAt is DateTimeOffset expiresAt)
        {
            body["expiresAt"] = expiresAt.ToUnixTimeSeconds();
            body["uses"] = token.Uses;
            body["group"] = token.Group;
            body["minLevel"] = token.MinLevel;
        }

        await output.WriteLineAsync(JsonSerializer.Serialize(body)).ConfigureAwait(false);
    }

    private static Launcher.Attestation.Verification.TpmTrust LoadTpmTrust(string? roots, string? allowList)
    {
        try
        {
            Launcher.Attestation.Verification.TpmTrust trust = Launcher.Attestation.Verification.TpmTrust.Load(roots, allowList);
            if (roots is not null && trust.Roots.Count == 0)
            {
                throw new FleetConfigurationException($"--tpm-roots: {roots} holds no self-signed root certificate.");
            }

            return trust;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or System.Security.Cryptography.CryptographicException)
        {
            throw new FleetConfigurationException($"--tpm-roots/--ek-allowlist: {e.Message}");
        }
    }

    private static Uri ParseUrl(string value, string option) =>
        Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) ? uri : throw new FleetConfigurationException($"{option}: '{value}' is not an absolute URL.");
}
