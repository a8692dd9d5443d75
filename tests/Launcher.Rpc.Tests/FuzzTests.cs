using System.Text;
using System.Text.Json;
using Launcher.Rpc.Tests.Support;

namespace Launcher.Rpc.Tests;

/// <summary>
/// Thousands of random and mutated frames against a fresh connection each: the engine must never let an exception
/// escape, never hang, keep serving when only the body was damaged, and close cleanly when the peer ends.
/// Seeded, so a failure names the case that reproduces it.
/// </summary>
public sealed class FuzzTests
{
    private const int Seed = 20_250_101;

    private static readonly string[] s_seeds =
    [
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/echo\",\"params\":{\"text\":\"hi\",\"count\":2}}",
        "{\"jsonrpc\":\"2.0\",\"id\":\"s\",\"method\":\"test/add\",\"params\":[{\"a\":1,\"b\":2}]}",
        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"test/fail\",\"params\":{\"code\":7,\"message\":\"m\",\"data\":[1,{\"x\":null}]}}",
        "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"test/throw\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"test/range\",\"params\":{\"value\":5}}",
        "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"test/exploding\",\"params\":{\"value\":5}}",
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"test/wait\",\"params\":{}}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":7}}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"test/tick\",\"params\":{\"n\":1}}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"test/ping\",\"params\":{\"text\":\"p\"}}",
        "{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{\"text\":\"r\",\"count\":1}}",
        "{\"jsonrpc\":\"2.0\",\"id\":10,\"error\":{\"code\":-32000,\"message\":\"e\",\"data\":{}}}",
        "[{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"test/echo\",\"params\":{\"text\":\"b\"}}]",
        "{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"test/blob\",\"params\":{\"count\":100}}",
    ];

    private static readonly byte[] s_interesting = "{}[]\":,\\0123456789-+.eEtrufalsn \r\n\t"u8.ToArray().Concat(new byte[] { 0x00, 0x7F, 0x80, 0xC3, 0xE2, 0xF0, 0xFF }).ToArray();

    [Fact(Timeout = 600_000)]
    public async Task DamagedBodies_InIntactFrames_AreAnsweredAndTheConnectionKeepsServing()
    {
        var random = new Random(Seed);
        for (int i = 0; i < 4000; i++)
        {
            byte[] body = i % 5 == 0 ? Encoding.UTF8.GetBytes(RandomJson(random, 0)) : Mutate(random, Encoding.UTF8.GetBytes(s_seeds[random.Next(s_seeds.Length)]));
            byte[] frame = [.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body];
            await RunCaseAsync(i, frame, random.Next(4) == 0 ? random.Next(1, 64) : null, expectServing: true);
        }
    }

    [Fact(Timeout = 600_000)]
    public async Task DamagedFrames_NeverHangOrBreakTheEngine()
    {
        var random = new Random(Seed + 1);
        for (int i = 0; i < 4000; i++)
        {
            byte[] frame = RawPeer.Frame(s_seeds[random.Next(s_seeds.Length)]);
            byte[] input = random.Next(3) switch
            {
                0 => Mutate(random, frame),
                1 => [.. Encoding.ASCII.GetBytes(RandomHeaders(random)), .. Encoding.UTF8.GetBytes(s_seeds[random.Next(s_seeds.Length)])],
                _ => RandomBytes(random, random.Next(0, 600)),
            };
            await RunCaseAsync(i, input, random.Next(3) == 0 ? random.Next(1, 16) : null, expectServing: false);
        }

        await using var fresh = new RawPeer(new TestService().Table);
        await fresh.AssertStillServesAsync();
    }

    private static async Task RunCaseAsync(int index, byte[] input, int? chunk, bool expectServing)
    {
        var logger = new TestLogger();
        var limits = new RpcLimits { MaxMessageBytes = 64 * 1024, MaxJsonDepth = 16 };
        string Describe() => $"case {index}: {Convert.ToBase64String(input)}";

        await using (var peer = new RawPeer(new TestService().Table, limits, logger, maxReadChunk: chunk))
        {
            await peer.SendRawAsync(input);
            if (expectServing)
            {
                // The damaged message may have produced any number of replies; the probe's must come.
                string probe = "\"probe-" + index + "\"";
                await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":" + probe + ",\"method\":\"test/echo\",\"params\":{\"text\":\"ok\"}}");
                while (true)
                {
                    JsonElement? reply;
                    try
                    {
                        reply = await peer.ReceiveAsync();
                    }
                    catch (TimeoutException)
                    {
                        Assert.Fail("No answer to the probe: " + Describe());
                        return;
                    }

                    Assert.True(reply.HasValue, $"The connection ended ({peer.Connection.CloseReason}): {Describe()}");
                    if (reply.Value.TryGetProperty("id", out JsonElement id) && id.GetRawText() == probe)
                    {
                        Assert.True(reply.Value.TryGetProperty("result", out _), reply.Value.GetRawText() + " " + Describe());
                        break;
                    }
                }
            }

            await peer.EndAsync();
            Task done = peer.Connection.Completion;
            Assert.True(await Task.WhenAny(done, Task.Delay(TimeSpan.FromSeconds(10))) == done, "The connection hung: " + Describe());
            string reason = peer.Connection.CloseReason!;
            Assert.True(
                reason.StartsWith("the peer closed the connection", StringComparison.Ordinal) || reason.StartsWith("broken framing", StringComparison.Ordinal),
                $"Unexpected close reason '{reason}': {Describe()}");
        }

        // Event 11: the transport threw something unexpected; event 4 for "(message)": processing itself failed.
        Assert.DoesNotContain(logger.Entries, e => e.EventId is 10 or 11 || (e.EventId == 4 && e.Message.Contains("(message)", StringComparison.Ordinal)));
    }

    private static byte[] Mutate(Random random, byte[] input)
    {
        var bytes = new List<byte>(input);
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations; m++)
        {
            int at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(8))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.Insert(at, s_interesting[random.Next(s_interesting.Length)]);
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 8), bytes.Count - at));
                    break;
                case 3 when bytes.Count > 0:
                    int length = Math.Min(random.Next(1, 16), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                case 4 when bytes.Count > 0:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 5:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(random.Next(4) switch
                    {
                        0 => "99999999999999999999999",
                        1 => "-0.5e-400",
                        2 => "\"\\ud800\"",
                        _ => new string('[', random.Next(10, 40)),
                    }));
                    break;
                case 6:
                    bytes[at == bytes.Count ? 0 : at] = s_interesting[random.Next(s_interesting.Length)];
                    break;
                default:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(s_seeds[random.Next(s_seeds.Length)]));
                    break;
            }
        }

        return bytes.ToArray();
    }

    private static string RandomJson(Random random, int depth)
    {
        int kind = depth > 20 ? random.Next(4) : random.Next(7);
        return kind switch
        {
            0 => random.Next(3) switch { 0 => "null", 1 => "true", _ => "false" },
            1 => random.Next(3) switch { 0 => random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture), 1 => "1.5e300", _ => "-9223372036854775809" },
            2 => JsonSerializer.Serialize(new string((char)random.Next(0x20, 0x2FFF), random.Next(0, 5))),
            3 => "\"" + (random.Next(2) == 0 ? "jsonrpc" : "test/echo") + "\"",
            4 => "[" + string.Join(",", Enumerable.Range(0, random.Next(0, 4)).Select(_ => RandomJson(random, depth + 1))) + "]",
            _ => "{" + string.Join(",", Enumerable.Range(0, random.Next(0, 5)).Select(_ =>
                JsonSerializer.Serialize(new[] { "jsonrpc", "id", "method", "params", "result", "error", "code", "message", "data", "text" }[random.Next(10)]) + ":" +
                (random.Next(3) == 0 ? "\"2.0\"" : RandomJson(random, depth + 1)))) + "}",
        };
    }

    private static string RandomHeaders(Random random)
    {
        var headers = new StringBuilder();
        for (int i = random.Next(0, 4); i > 0; i--)
        {
            headers.Append(random.Next(6) switch
            {
                0 => "Content-Length: " + random.Next(-5, 300),
                1 => "Content-Type: application/json; charset=" + (random.Next(2) == 0 ? "utf-8" : "latin1"),
                2 => "content-length:" + new string(' ', random.Next(3)) + random.Next(0, 100),
                3 => "X-" + new string('h', random.Next(0, 300)) + ": v",
                4 => "Content-Length: 4294967296",
                _ => ":",
            });
            headers.Append(random.Next(8) == 0 ? "\n" : "\r\n");
        }

        return headers.Append(random.Next(6) == 0 ? "\n" : "\r\n").ToString();
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
