using System.CommandLine;
using System.Text;
using System.Text.Json;
using Launcher.Client;
using Launcher.Contracts;
using Launcher.Contracts.FleetLink;
using Launcher.Rpc;

namespace Launcher.Ctl;

/// <summary><c>launcherctl fleet enroll|status|leave</c>.</summary>
internal static class FleetCommands
{
    /// <summary>Enrolment connects to the server and runs two calls there: it gets at least this long.</summary>
    private static readonly TimeSpan s_enrollTimeout = TimeSpan.FromSeconds(60);

    public static Command Build(CtlEnvironment env)
    {
        return new Command("fleet", "Enrol this machine with a fleet server, show the fleet link, or leave the fleet.")
        {
            Enroll(env),
            Status(env),
            Leave(env),
        };
    }

    private static Command Enroll(CtlEnvironment env)
    {
        var server = new Option<string>("--server") { Description = "The fleet server, https://host[:port].", Required = true };
        var token = new Option<string>("--token") { Description = "The enrolment token from the fleet's admin (launcher-fleet token create).", Required = true };
        var caFile = new Option<string?>("--ca-file") { Description = "PEM file of the fleet CA to pin (default: the system trust store validates the server)." };
        var json = new Option<bool>("--json") { Description = "Print the daemon's result object as JSON." };
        var command = new Command("enroll", "Enrol this machine with a fleet server: the daemon connects, proves its key, and stores the machine certificate. Requires root.")
        {
            server, token, caFile, json,
        };
        command.Validators.Add(result =>
        {
            string? url = result.GetValue(server);
            if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && uri.Scheme is "https" or "wss"))
            {
                result.AddError("--server must be an https:// URL, e.g. https://fleet.example.org.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            string? pem = null;
            if (parse.GetValue(caFile) is string path)
            {
                try
                {
                    var info = new FileInfo(path);
                    if (info.Length > FleetLinkLimits.MaxCaPemLength)
                    {
                        await env.UsageErrorAsync($"--ca-file {path} is larger than {FleetLinkLimits.MaxCaPemLength} bytes.").ConfigureAwait(false);
                        return CtlExitCodes.Usage;
                    }

                    pem = await File.ReadAllTextAsync(path, Encoding.ASCII, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    await env.UsageErrorAsync($"cannot read --ca-file {path}: {ex.Message}").ConfigureAwait(false);
                    return CtlExitCodes.Usage;
                }

                if (!pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
                {
                    await env.UsageErrorAsync($"--ca-file {path} holds no PEM certificate.").ConfigureAwait(false);
                    return CtlExitCodes.Usage;
                }
            }

            var request = new FleetEnrollParams { Server = parse.GetValue(server)!, Token = parse.GetValue(token)!, CaCertificatePem = pem };
            if (request.Validate() is string invalid)
            {
                await env.UsageErrorAsync(invalid).ConfigureAwait(false);
                return CtlExitCodes.Usage;
            }

            return await env.RunAsync(parse, cancellationToken, async (client, ct) =>
            {
                TimeSpan timeout = TimeSpan.FromSeconds(parse.GetValue(env.Timeout));
                var raw = new RpcMethod<FleetEnrollParams, JsonElement>(Methods.FleetEnroll.Name, Methods.FleetEnroll.ParamsType, ClientJsonContext.Default.JsonElement);
                JsonElement result = await client.Connection.InvokeAsync(raw, request, ct, timeout > s_enrollTimeout ? timeout : s_enrollTimeout).ConfigureAwait(false);
                string text = parse.GetValue(json)
                    ? CtlJson.Format(result) + "\n"
                    : FleetFormatter.FormatEnrolled(CtlEnvironment.Read(result, LauncherJsonContext.Default.FleetEnrollResult), env.Style);
                await env.Out.WriteAsync(text).ConfigureAwait(false);
                return CtlExitCodes.Ok;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Status(CtlEnvironment env)
    {
        var json = new Option<bool>("--json") { Description = "Print the daemon's result object as JSON (stable for scripts)." };
        var command = new Command("status", "The fleet link: enrolled or not, connected or not (since when), server, machine id, certificate expiry, last error.") { json };
        command.SetAction((parse, cancellationToken) => env.RunAsync(parse, cancellationToken, async (client, token) =>
        {
            JsonElement raw = await client.InvokeRawAsync(Methods.FleetStatus, EmptyParams.Instance, token).ConfigureAwait(false);
            string text = parse.GetValue(json)
                ? CtlJson.Format(raw) + "\n"
                : FleetFormatter.Format(CtlEnvironment.Read(raw, LauncherJsonContext.Default.FleetLinkStatus), env.Style, DateTimeOffset.UtcNow);
            await env.Out.WriteAsync(text).ConfigureAwait(false);
            return CtlExitCodes.Ok;
        }));
        return command;
    }

    private static Command Leave(CtlEnvironment env)
    {
        var yes = new Option<bool>("--yes") { Description = "Confirm: the server URL, the pinned CA and the machine certificate are forgotten." };
        var command = new Command("leave", "Leave the fleet: forget the server, the pinned CA and the machine certificate (the machine key stays). Requires root and --yes.") { yes };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!parse.GetValue(yes))
            {
                await env.UsageErrorAsync("fleet leave forgets the fleet server and the machine certificate; re-joining needs a new enrolment token. Re-run with --yes to confirm.").ConfigureAwait(false);
                return CtlExitCodes.Usage;
            }

            return await env.RunAsync(parse, cancellationToken, async (client, token) =>
            {
                FleetLeaveResult result = await client.InvokeAsync(Methods.FleetLeave, new FleetLeaveParams { Confirm = true }, token).ConfigureAwait(false);
                string text = result.Server is null
                    ? "Not enrolled with a fleet server; nothing to forget.\n"
                    : $"Left {result.Server} (machine {result.MachineId}); the server still lists the machine until an admin removes or revokes it.\n";
                await env.Out.WriteAsync(text).ConfigureAwait(false);
                return CtlExitCodes.Ok;
            }).ConfigureAwait(false);
        });
        return command;
    }
}
