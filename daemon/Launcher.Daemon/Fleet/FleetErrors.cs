using System.Text.Json;
using Launcher.Contracts.Fleet;
using Launcher.Rpc;

namespace Launcher.Daemon.Fleet;

/// <summary>Turns what the server answered during a call into a <see cref="FleetLinkException"/> an admin can read.</summary>
internal static class FleetErrors
{
    public static string? Name(int code) => code switch
    {
        FleetErrorCodes.NotAuthenticated => "NotAuthenticated",
        FleetErrorCodes.InvalidToken => "InvalidToken",
        FleetErrorCodes.InvalidProof => "InvalidProof",
        FleetErrorCodes.NonceRejected => "NonceRejected",
        FleetErrorCodes.ChannelBindingMismatch => "ChannelBindingMismatch",
        FleetErrorCodes.MachineRevoked => "MachineRevoked",
        FleetErrorCodes.UnknownMachine => "UnknownMachine",
        FleetErrorCodes.Overloaded => "Overloaded",
        FleetErrorCodes.AttestationFailed => "AttestationFailed",
        FleetErrorCodes.PolicyRefused => "PolicyRefused",
        _ => null,
    };

    /// <summary>
    /// True for a server's answer to an enrolment that the same attempt would get again: the token is unknown,
    /// expired, used up or revoked; the proof failed a check (wrong audience, a clock far off); the machine is revoked
    /// or unknown; the evidence or the attestation level was refused. Everything else (no answer, TLS, timeouts,
    /// Overloaded, a nonce that expired, a channel binding that a middlebox on this network broke, a code this daemon
    /// does not know) may pass on a later attempt.
    /// </summary>
    public static bool IsDefinitiveRefusal(int? code) => code is FleetErrorCodes.InvalidToken
        or FleetErrorCodes.InvalidProof
        or FleetErrorCodes.MachineRevoked
        or FleetErrorCodes.UnknownMachine
        or FleetErrorCodes.AttestationFailed
        or FleetErrorCodes.PolicyRefused;

    /// <summary>What went wrong in <paramref name="call"/>; null for an exception that is not a link failure.</summary>
    public static FleetLinkException? From(Exception exception, string call, FleetServerUrl server) => exception switch
    {
        FleetLinkException link => link,
        RpcException rpc when Name(rpc.Code) is string name =>
            new FleetLinkException($"The fleet server refused {call}: {Clip(rpc.Message)} ({name}, code {rpc.Code}).", rpc.Code, RetryAfter(rpc), rpc),
        RpcException rpc =>
            new FleetLinkException($"The fleet server {server} answered {call} outside the protocol: {Clip(rpc.Message)} (code {rpc.Code}).", null, null, rpc),
        RpcTimeoutException =>
            new FleetLinkException($"The fleet server {server} did not answer {call} in time.", null, null, exception),
        RpcConnectionLostException lost =>
            new FleetLinkException($"The fleet server {server} closed the connection during {call}: {Clip(lost.Message)}", null, null, exception),
        IOException io =>
            new FleetLinkException($"The connection to {server} failed during {call}: {Clip(io.Message)}", null, null, exception),
        _ => null,
    };

    /// <summary>Overloaded carries <c>data: {"retryAfterSeconds": N}</c>.</summary>
    public static TimeSpan? RetryAfter(RpcException exception)
    {
        if (exception.Code != FleetErrorCodes.Overloaded || exception.ErrorData is not JsonElement { ValueKind: JsonValueKind.Object } data)
        {
            return null;
        }

        return data.TryGetProperty("retryAfterSeconds", out JsonElement value) && value.TryGetInt32(out int seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    /// <summary>A server's message is shown to admins and logged: bounded, one line.</summary>
    public static string Clip(string message)
    {
        string line = message.ReplaceLineEndings(" ");
        return line.Length <= 300 ? line : line[..300] + "…";
    }
}
