using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Launcher.Benchmarks.Engines;

/// <summary>
/// The bad-input cases, run against a Content-Length JSON server (ours, or StreamJsonRpc's header-delimited stack):
/// what the peer gets back, whether the connection still serves, and what the server holds in memory.
/// </summary>
internal static class EngineProbes
{
    /// <summary>Internal detail a handler's exception carries; it must not reach the peer.</summary>
    public const string SecretDetail = "state file /var/lib/launcher/secret.db is locked by pid 4242";

    private static readonly TimeSpan s_replyWait = TimeSpan.FromSeconds(3);
    private const string Noop = """{"jsonrpc":"2.0","id":99,"method":"bench/noop","params":{}}""";

    public static async Task<JsonObject> RunAsync(string socketPath, bool quick)
    {
        return new JsonObject
        {
            ["malformedJson"] = await MalformedAsync(socketPath, """{"jsonrpc":"2.0","id":1,"method":""").ConfigureAwait(false),
            ["deepJson"] = await MalformedAsync(socketPath, DeepRequest(quick ? 2_000 : 10_000)).ConfigureAwait(false),
            ["oversizedContentLength"] = await OversizedAsync(socketPath, quick ? 16 : 64).ConfigureAwait(false),
            ["exceptionDetails"] = await ExceptionDetailsAsync(socketPath).ConfigureAwait(false),
        };
    }

    private static string DeepRequest(int depth) =>
        """{"jsonrpc":"2.0","id":1,"method":"bench/noop","params":{"a":""" + new string('[', depth) + new string(']', depth) + "}}";

    private static async Task<JsonObject> MalformedAsync(string socketPath, string body)
    {
        using RawJsonRpcClient client = await RawJsonRpcClient.ConnectAsync(socketPath).ConfigureAwait(false);
        await client.SendAsync(RawJsonRpcClient.Frame(body)).ConfigureAwait(false);
        (string? reply, string status) = await client.ReadAsync(s_replyWait).ConfigureAwait(false);
        bool usable = await UsableAsync(client).ConfigureAwait(false);
        return new JsonObject
        {
            ["bytes"] = body.Length,
            ["answer"] = status == "reply" ? ErrorCode(reply) : status,
            ["connectionServesAfter"] = usable,
        };
    }

    private static async Task<JsonObject> OversizedAsync(string socketPath, int megabytes)
    {
        // Declare 1 GiB, then stream zeros: a server that trusts the length buffers all of it.
        GC.Collect();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long heapBefore = GC.GetGCMemoryInfo().HeapSizeBytes;
        using RawJsonRpcClient client = await RawJsonRpcClient.ConnectAsync(socketPath).ConfigureAwait(false);
        await client.SendAsync(Encoding.ASCII.GetBytes("Content-Length: 1073741824\r\n\r\n")).ConfigureAwait(false);
        byte[] chunk = new byte[64 * 1024];
        long sent = 0;
        long limit = megabytes * 1024L * 1024;
        var clock = Stopwatch.StartNew();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (sent < limit)
        {
            bool ok;
            try
            {
                ok = await client.SendAsync(chunk, cancel.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (!ok)
            {
                break;
            }

            sent += chunk.Length;
        }

        (string? reply, string status) = await client.ReadAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        long heapAfter = GC.GetGCMemoryInfo().HeapSizeBytes;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return new JsonObject
        {
            ["declaredBytes"] = 1073741824,
            ["streamedMb"] = Math.Round(sent / 1048576.0, 1),
            ["acceptedAllStreamed"] = sent >= limit,
            ["answer"] = status == "reply" ? ErrorCode(reply) : status,
            ["serverAllocatedMb"] = Math.Round(allocated / 1048576.0, 1),
            ["heapGrowthMb"] = Math.Round((heapAfter - heapBefore) / 1048576.0, 1),
            ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2),
        };
    }

    private static async Task<JsonObject> ExceptionDetailsAsync(string socketPath)
    {
        using RawJsonRpcClient client = await RawJsonRpcClient.ConnectAsync(socketPath).ConfigureAwait(false);
        await client.SendAsync(RawJsonRpcClient.Frame("""{"jsonrpc":"2.0","id":7,"method":"bench/throw","params":{}}""")).ConfigureAwait(false);
        (string? reply, string status) = await client.ReadAsync(s_replyWait).ConfigureAwait(false);
        reply ??= string.Empty;
        return new JsonObject
        {
            ["answer"] = status == "reply" ? ErrorCode(reply) : status,
            ["leaksExceptionType"] = reply.Contains("InvalidOperationException", StringComparison.Ordinal),
            ["leaksMessage"] = reply.Contains("secret.db", StringComparison.Ordinal),
            ["leaksStackTrace"] = reply.Contains(" at ", StringComparison.Ordinal) && reply.Contains("Launcher.Benchmarks", StringComparison.Ordinal),
            ["replyBytes"] = Encoding.UTF8.GetByteCount(reply),
        };
    }

    private static async Task<bool> UsableAsync(RawJsonRpcClient client)
    {
        if (!await client.SendAsync(RawJsonRpcClient.Frame(Noop)).ConfigureAwait(false))
        {
            return false;
        }

        (string? reply, string status) = await client.ReadAsync(s_replyWait).ConfigureAwait(false);
        return status == "reply" && reply!.Contains("\"result\"", StringComparison.Ordinal);
    }

    private static string ErrorCode(string? reply)
    {
        if (reply is null)
        {
            return "none";
        }

        try
        {
            JsonNode? error = JsonNode.Parse(reply)?["error"];
            return error?["code"] is JsonNode code ? $"error {code}" : "result";
        }
        catch (System.Text.Json.JsonException)
        {
            return "unparsable reply";
        }
    }
}
