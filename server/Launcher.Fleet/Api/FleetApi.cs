using Launcher.Fleet.Link;
using Launcher.Fleet.Push;
using Launcher.Fleet.Services;
using Launcher.Fleet.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Launcher.Fleet.Api;

/// <summary>The HTTP API (docs/fleet-api.md): admin endpoints behind <see cref="AdminAuthFilter"/>, and /api/v1/verify.</summary>
internal static class FleetApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        RouteGroupBuilder admin = app.MapGroup("/api/v1").AddEndpointFilter<AdminAuthFilter>();
        admin.MapGet("/machines", ListMachinesAsync);
        admin.MapGet("/machines/{id}", GetMachineAsync);
        admin.MapGet("/machines/{id}/notifications", ListNotificationsAsync);
        admin.MapPost("/machines/{id}/notifications", CreateNotificationAsync);
        admin.MapPost("/machines/{id}/revoke", RevokeAsync);
        admin.MapPost("/machines/{id}/check", CheckAsync);
        admin.MapPost("/machines/{id}/apple-attestation", AppleAttestationAsync);
        admin.MapPost("/notifications", BroadcastAsync);
        admin.MapGet("/notifications/{id}", GetNotificationAsync);
        admin.MapGet("/audit", ListAuditAsync);
        app.MapPost("/api/v1/verify", VerifyAsync);
    }

    private static async Task<IResult> ListMachinesAsync(FleetQueries queries, HttpContext http, int? limit, int? offset)
    {
        IReadOnlyList<MachineView> machines = await queries.ListMachinesAsync(limit ?? 100, offset ?? 0, http.RequestAborted).ConfigureAwait(false);
        return Results.Json(new { machines }, ApiJson.Options);
    }

    private static async Task<IResult> GetMachineAsync(string id, FleetQueries queries, HttpContext http)
    {
        MachineView? machine = await queries.GetMachineAsync(id, http.RequestAborted).ConfigureAwait(false);
        return machine is null ? NoMachine() : Results.Json(machine, ApiJson.Options);
    }

    private static async Task<IResult> ListNotificationsAsync(string id, FleetQueries queries, HttpContext http, int? limit)
    {
        if (await queries.GetMachineAsync(id, http.RequestAborted).ConfigureAwait(false) is null)
        {
            return NoMachine();
        }

        IReadOnlyList<NotificationView> notifications = await queries.ListNotificationsAsync(id, limit ?? 100, http.RequestAborted).ConfigureAwait(false);
        return Results.Json(new { notifications }, ApiJson.Options);
    }

    private static async Task<IResult> CreateNotificationAsync(string id, PushService push, HttpContext http)
    {
        (NotificationRequest? request, IResult? problem) = await ApiJson.ReadAsync<NotificationRequest>(http.Request).ConfigureAwait(false);
        if (request is null)
        {
            return problem!;
        }

        (string? created, string? error, int status) = await push.CreateNotificationAsync(id, request, Actor(http), http.RequestAborted).ConfigureAwait(false);
        if (created is null)
        {
            return Problems.Result(status, status switch { 404 => "Not found", 409 => "Machine revoked", _ => "Invalid notification" }, error!);
        }

        return Results.Json(new { id = created }, ApiJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> RevokeAsync(string id, PushService push, FleetQueries queries, HttpContext http)
    {
        if (!await push.RevokeAsync(id, Actor(http), http.RequestAborted).ConfigureAwait(false))
        {
            return NoMachine();
        }

        MachineView? machine = await queries.GetMachineAsync(id, http.RequestAborted).ConfigureAwait(false);
        return Results.Json(machine, ApiJson.Options);
    }

    private static async Task<IResult> CheckAsync(string id, LivenessService liveness, HttpContext http)
    {
        (LivenessResult? result, int status, string? problem) = await liveness.CheckAsync(id, Actor(http), http.RequestAborted).ConfigureAwait(false);
        return result is null
            ? Problems.Result(status, status switch { 404 => "Not found", 409 => "Not connected here", _ => "Check failed" }, problem!)
            : Results.Json(result, ApiJson.Options);
    }

    private static async Task<IResult> BroadcastAsync(PushService push, HttpContext http)
    {
        (BroadcastRequest? request, IResult? problem) = await ApiJson.ReadAsync<BroadcastRequest>(http.Request).ConfigureAwait(false);
        if (request is null)
        {
            return problem!;
        }

        (string? created, long machines, string? error, int status) = await push.BroadcastAsync(request, Actor(http), http.RequestAborted).ConfigureAwait(false);
        if (created is null)
        {
            return Problems.Result(status, status == StatusCodes.Status404NotFound ? "No machines" : "Invalid notification", error!);
        }

        return Results.Json(new { id = created, machines }, ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> GetNotificationAsync(string id, FleetQueries queries, HttpContext http, string? state, string? after, int? limit)
    {
        // A broadcast is b_…; each machine's copy of it (b_….m_…) is an ordinary notification.
        if (BroadcastStore.IsBroadcastId(id))
        {
            if (state is not null && !BroadcastStore.States.Contains(state))
            {
                return Problems.Result(StatusCodes.Status400BadRequest, "Invalid query", $"state must be one of {string.Join(", ", BroadcastStore.States)}.");
            }

            BroadcastView? broadcast = await queries.GetBroadcastAsync(id, state, after, limit ?? 100, http.RequestAborted).ConfigureAwait(false);
            return broadcast is null
                ? Problems.Result(StatusCodes.Status404NotFound, "Not found", "No notification with this id.")
                : Results.Json(broadcast, ApiJson.Options);
        }

        NotificationView? notification = await queries.GetNotificationAsync(id, http.RequestAborted).ConfigureAwait(false);
        return notification is null
            ? Problems.Result(StatusCodes.Status404NotFound, "Not found", "No notification with this id.")
            : Results.Json(notification, ApiJson.Options);
    }

    private static async Task<IResult> ListAuditAsync(FleetQueries queries, HttpContext http, int? limit, long? before, string? machine)
    {
        IReadOnlyList<AuditView> entries = await queries.ListAuditAsync(limit ?? 100, before, machine, http.RequestAborted).ConfigureAwait(false);
        return Results.Json(new { entries }, ApiJson.Options);
    }

    private static async Task<IResult> VerifyAsync(VerifyService verifier, HttpContext http, ILogger<VerifyService> logger)
    {
        (VerifyRequest? request, IResult? problem) = await ApiJson.ReadAsync<VerifyRequest>(http.Request).ConfigureAwait(false);
        if (request is null)
        {
            return problem!;
        }

        if (string.IsNullOrEmpty(request.Proof) || string.IsNullOrEmpty(request.Audience) || string.IsNullOrEmpty(request.Nonce)
            || request.Audience.Length > 256 || request.Nonce.Length is < 8 or > 256)
        {
            return Problems.Result(StatusCodes.Status400BadRequest, "Invalid body", "proof, audience (1 to 256 characters) and nonce (8 to 256 characters) are required.");
        }

        try
        {
            VerifyResult result = await verifier.VerifyAsync(request.Proof, request.Audience, request.Nonce, http.RequestAborted).ConfigureAwait(false);
            return Results.Json(result, ApiJson.Options);
        }
        catch (ProofRefusedException ex)
        {
            Log.VerifyRefused(logger, request.Audience, ex.Code, ex.Check);
            return Problems.Result(StatusCodes.Status403Forbidden, "Proof refused", ex.Message, new Dictionary<string, object?>
            {
                ["code"] = ex.Code,
                ["error"] = FleetErrorNames.Of(ex.Code),
                ["check"] = ex.Check,
            });
        }
    }

    private static async Task<IResult> AppleAttestationAsync(string id, AppleAttestationService apple, FleetQueries queries, HttpContext http)
    {
        (AppleAttestationRequest? request, IResult? problem) = await ApiJson.ReadAsync<AppleAttestationRequest>(http.Request).ConfigureAwait(false);
        if (request is null)
        {
            return problem!;
        }

        (MachineRow? machine, int status, string? refusal) = await apple.RecordAsync(id, request.Chain, Actor(http), http.RequestAborted).ConfigureAwait(false);
        if (machine is null)
        {
            return status == StatusCodes.Status404NotFound ? NoMachine() : Problems.Result(status, "Attestation refused", refusal!);
        }

        return Results.Json(await queries.GetMachineAsync(id, http.RequestAborted).ConfigureAwait(false), ApiJson.Options);
    }

    private static IResult NoMachine() => Problems.Result(StatusCodes.Status404NotFound, "Not found", "No machine with this id.");

    private static string Actor(HttpContext http) => http.Items[AdminAuthFilter.ActorItem] as string ?? "admin";
}
