using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;
using Launcher.Contracts;
using Launcher.Contracts.Identity;
using Launcher.Contracts.Notifications;

namespace Launcher.Ctl;

/// <summary>
/// <c>launcherctl [--socket PATH] [--timeout SECONDS] status|notify|identity|fleet|call …</c>. Parse errors exit 2 with the
/// parser's message; everything after parsing goes through <see cref="CtlEnvironment.RunAsync"/> and
/// <see cref="CtlErrors.Map"/>, so exit codes are decided in one place (<see cref="CtlExitCodes"/>).
/// </summary>
internal static class CtlCommandLine
{
    public static int Run(string[] args, CtlEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ParseResult parse = Build(environment).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (ParseError error in parse.Errors)
            {
                environment.Error.WriteLine("launcherctl: " + error.Message);
            }

            environment.Error.WriteLine("Try 'launcherctl --help'.");
            return CtlExitCodes.Usage;
        }

        return parse.Invoke(new InvocationConfiguration { Output = environment.Out, Error = environment.Error });
    }

    public static RootCommand Build(CtlEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var root = new RootCommand("launcherctl: administer the Launcher daemon (launcherd).\n" + CtlExitCodes.HelpText)
        {
            environment.Socket,
            environment.Timeout,
            Status(environment),
            Notify(environment),
            Identity(environment),
            FleetCommands.Build(environment),
            Call(environment),
            DoctorCommand(environment),
        };
        return root;
    }

    private static Command Status(CtlEnvironment env)
    {
        var json = new Option<bool>("--json") { Description = "Print the daemon's result object as JSON (stable for scripts)." };
        var command = new Command("status", "Version, uptime, identity, warnings, connections, agents per uid, pending notifications.") { json };
        command.SetAction((parse, cancellationToken) => env.RunAsync(parse, cancellationToken, async (client, token) =>
        {
            JsonElement raw = await client.InvokeRawAsync(Methods.DaemonStatus, EmptyParams.Instance, token).ConfigureAwait(false);
            string text = parse.GetValue(json)
                ? CtlJson.Format(raw) + "\n"
                : StatusFormatter.Format(CtlEnvironment.Read(raw, LauncherJsonContext.Default.StatusResult), env.Style);
            await env.Out.WriteAsync(text).ConfigureAwait(false);
            return CtlExitCodes.Ok;
        }));
        return command;
    }

    private static Command Notify(CtlEnvironment env)
    {
        var uid = new Option<uint?>("--uid") { Description = "The user to notify." };
        var allUsers = new Option<bool>("--all-users") { Description = "Notify every user whose agent connects before it expires." };
        var title = new Option<string>("--title") { Description = "The title.", Required = true };
        var body = new Option<string>("--body") { Description = "The body text.", Required = true };
        var url = new Option<string?>("--url") { Description = "An http(s) URL opened on click." };
        var expiresIn = new Option<int?>("--expires-in") { Description = "Lifetime in seconds (default: the daemon's)." };
        var action = new Option<string[]>("--action") { Description = "A button, as ID=LABEL (repeatable); a click on it is acknowledged as clicked with that id.", AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "Print the daemon's result object as JSON." };
        var command = new Command("notify", "Queue a notification for one user (--uid) or all users (--all-users); prints its id, and on standard error what the users' agents cannot honour. Requires root.")
        {
            uid, allUsers, title, body, url, expiresIn, action, json,
        };
        command.Validators.Add(result =>
        {
            // A value that did not convert (e.g. --uid -1) is already a parse error; nothing more to check.
            if (!CtlParsing.TryGet(() => result.GetValue(uid), out uint? uidValue)
                || !CtlParsing.TryGet(() => result.GetValue(allUsers), out bool all)
                || !CtlParsing.TryGet(() => result.GetValue(expiresIn), out int? expires))
            {
                return;
            }

            if ((uidValue is not null) == all)
            {
                result.AddError("Give exactly one of --uid N and --all-users.");
                return;
            }

            if (!CtlParsing.TryParseActions(result.GetValue(action), out IReadOnlyList<NotificationAction>? actions, out string? actionError))
            {
                result.AddError(actionError!);
                return;
            }

            SendNotificationParams request = BuildNotification(uidValue, all, result.GetValue(title) ?? string.Empty, result.GetValue(body) ?? string.Empty, result.GetValue(url), expires, actions);
            if (request.Validate() is string invalid)
            {
                result.AddError(invalid);
            }
        });
        command.SetAction((parse, cancellationToken) => env.RunAsync(parse, cancellationToken, async (client, token) =>
        {
            CtlParsing.TryParseActions(parse.GetValue(action), out IReadOnlyList<NotificationAction>? actions, out _);
            SendNotificationParams request = BuildNotification(parse.GetValue(uid), parse.GetValue(allUsers), parse.GetValue(title)!, parse.GetValue(body)!, parse.GetValue(url), parse.GetValue(expiresIn), actions);
            JsonElement raw = await client.InvokeRawAsync(Methods.NotificationSend, request, token).ConfigureAwait(false);
            SendNotificationResult sent = CtlEnvironment.Read(raw, LauncherJsonContext.Default.SendNotificationResult);
            string text = parse.GetValue(json) ? CtlJson.Format(raw) : sent.Id;
            await env.Out.WriteAsync(text + "\n").ConfigureAwait(false);
            if (!parse.GetValue(json))
            {
                // Standard error, so that scripts reading the id from standard output are not disturbed.
                foreach (string warning in sent.Warnings)
                {
                    await env.Error.WriteLineAsync("launcherctl: warning: " + warning).ConfigureAwait(false);
                }
            }

            return CtlExitCodes.Ok;
        }));
        return command;
    }

    private static Command Identity(CtlEnvironment env)
    {
        var showJson = new Option<bool>("--json") { Description = "Print the identity/get result as JSON." };
        var show = new Command("show", "The machine's public identity: key class, state, public key, thumbprint, facts.") { showJson };
        show.SetAction((parse, cancellationToken) => env.RunAsync(parse, cancellationToken, async (client, token) =>
        {
            JsonElement raw = await client.InvokeRawAsync(Methods.IdentityGet, EmptyParams.Instance, token).ConfigureAwait(false);
            string text = parse.GetValue(showJson)
                ? CtlJson.Format(raw) + "\n"
                : IdentityFormatter.Format(CtlEnvironment.Read(raw, LauncherJsonContext.Default.IdentityResult), env.Style);
            await env.Out.WriteAsync(text).ConfigureAwait(false);
            return CtlExitCodes.Ok;
        }));

        var audience = new Option<string>("--audience") { Description = "Who the proof is for (the aud claim).", Required = true };
        var nonce = new Option<string>("--nonce") { Description = "The verifier's single-use nonce (8 to 256 characters).", Required = true };
        var prove = new Command("prove", "Print a machine proof (a compact JWS) for an audience and nonce, alone on standard output. Requires root.") { audience, nonce };
        prove.Validators.Add(result =>
        {
            var request = new ProveParams { Audience = result.GetValue(audience) ?? string.Empty, Nonce = result.GetValue(nonce) ?? string.Empty };
            if (request.Validate() is string invalid && result.GetResult(audience) is not null && result.GetResult(nonce) is not null)
            {
                result.AddError(invalid);
            }
        });
        prove.SetAction((parse, cancellationToken) => env.RunAsync(parse, cancellationToken, async (client, token) =>
        {
            ProveResult proof = await client.ProveAsync(parse.GetValue(audience)!, parse.GetValue(nonce)!, token).ConfigureAwait(false);
            await env.Out.WriteAsync(proof.Jws + "\n").ConfigureAwait(false);
            return CtlExitCodes.Ok;
        }));

        var yes = new Option<bool>("--yes") { Description = "Confirm: the old identity is deleted for good and the fleet server sees a new machine." };
        var reset = new Command("reset", "Delete the machine key and create a new identity. Requires root and --yes.") { yes };
        reset.SetAction(async (parse, cancellationToken) =>
        {
            if (!parse.GetValue(yes))
            {
                await env.UsageErrorAsync("identity reset deletes the machine key for good; the fleet server will treat this machine as new. Re-run with --yes to confirm.").ConfigureAwait(false);
                return CtlExitCodes.Usage;
            }

            return await env.RunAsync(parse, cancellationToken, async (client, token) =>
            {
                IdentityResult identity = await client.ResetAsync(token).ConfigureAwait(false);
                await env.Out.WriteAsync("New machine identity:\n" + IdentityFormatter.Format(identity, env.Style)).ConfigureAwait(false);
                return CtlExitCodes.Ok;
            }).ConfigureAwait(false);
        });

        return new Command("identity", "Show, prove or reset the machine identity.") { show, prove, reset };
    }

    private static Command DoctorCommand(CtlEnvironment env)
    {
        var json = new Option<bool>("--json") { Description = "Print the checks as JSON: {worst, exitCode, checks: [{name, status, summary, fix}]}." };
        var command = new Command("doctor", "Check everything an admin needs when something is wrong; each check is ok, warn, fail or skip with a one-line fix. Exit 0 ok, 6 warnings, 7 failures.") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string socketPath = env.SocketPath(parse);
            Doctor.DoctorReport report = await Doctor.Doctor.RunAsync(token => env.ConnectAsync(parse, token), socketPath, env.DoctorHost, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await env.Out.WriteAsync(Doctor.DoctorFormatter.Json(report)).ConfigureAwait(false);
            }
            else
            {
                Doctor.DoctorFormatter.WriteTable(report, env.Out, env.Style == TextStyle.Color);
            }

            return report.ExitCode;
        });
        return command;
    }

    private static Command Call(CtlEnvironment env)
    {
        var method = new Argument<string>("method") { Description = "The method, e.g. daemon/status (docs/protocol.md lists them)." };
        var parameters = new Argument<string?>("params") { Description = "The params as one JSON object (default {}).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("call", "Call any daemon method with JSON params and print the JSON result (for scripts and debugging).") { method, parameters };
        command.Validators.Add(result =>
        {
            string? text = result.GetValue(parameters);
            if (text is not null && !IsJsonObject(text))
            {
                result.AddError("params must be one JSON object, e.g. '{\"uid\":501}'.");
            }
        });
        command.SetAction((parse, cancellationToken) => env.RunAsync(parse, cancellationToken, async (client, token) =>
        {
            using JsonDocument request = JsonDocument.Parse(parse.GetValue(parameters) ?? "{}");
            var raw = new Launcher.Rpc.RpcMethod<JsonElement, JsonElement>(parse.GetValue(method)!, Launcher.Client.ClientJsonContext.Default.JsonElement, Launcher.Client.ClientJsonContext.Default.JsonElement);
            JsonElement result = await client.InvokeAsync(raw, request.RootElement, token).ConfigureAwait(false);
            await env.Out.WriteAsync(CtlJson.Format(result) + "\n").ConfigureAwait(false);
            return CtlExitCodes.Ok;
        }));
        return command;
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static SendNotificationParams BuildNotification(uint? uid, bool allUsers, string title, string body, string? url, int? expiresIn, IReadOnlyList<NotificationAction>? actions) => new()
    {
        Actions = actions,
        Uid = allUsers ? null : uid,
        AllUsers = allUsers,
        Title = title,
        Body = body,
        Url = url,
        ExpiresInSeconds = expiresIn,
    };
}
