using System.IO.Pipelines;
using System.Text;
using Launcher.Contracts;
using Launcher.Contracts.Identity;
using Launcher.Contracts.Tpm;
using Launcher.Rpc;

namespace Launcher.Fuzz;

/// <summary>
/// The fuzz targets. Each takes the fuzzer's bytes and throws <see cref="FuzzCrashException"/> (or lets an
/// unexpected exception escape) only for behaviour that must never happen; refusing bad input is the expected path.
/// </summary>
public static class FuzzTargets
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(10);
    // Instrumented code (Launcher.Rpc, Launcher.Contracts) must not run before SharpFuzz has set up AFL's shared
    // memory, so nothing of theirs is touched in a static initialiser: the key is made on first use.
    // The key is RFC 6979's P-256 test key, whose private half signed the corpus's valid proof.
    private static readonly Lazy<EcPublicKey> s_someKey = new(() => EcPublicKey.FromSec1(Convert.FromHexString(
        "04" + "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"
        + "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299")));

    /// <summary>The local methods the message and params targets serve (a test checks it is all of them).</summary>
    public static IReadOnlyCollection<string> CoveredMethods => LocalMethodsThatRefuse.Table.MethodNames;

    /// <summary>The target names, as scripts/fuzz.sh and the corpus folders use them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["framing", "message", "params", "proof", "tpm-public"];

    public static void Run(string target, byte[] input)
    {
        switch (target)
        {
            case "framing":
                Framing(input);
                break;
            case "message":
                Message(input);
                break;
            case "params":
                Params(input);
                break;
            case "proof":
                Proof(input);
                break;
            case "tpm-public":
                TpmPublicArea(input);
                break;
            default:
                throw new ArgumentException($"unknown target {target}; one of {string.Join(", ", Names)}", nameof(target));
        }
    }

    /// <summary>Raw bytes from a peer through the Content-Length framing: messages, a framing error, or the end.</summary>
    public static void Framing(byte[] input)
    {
        var limits = new RpcLimits { MaxMessageBytes = 64 * 1024, MaxHeaderBytes = 1024, MaxHeaderLineBytes = 256 };
        var transport = new HeaderDelimitedTransport(PipeReader.Create(new MemoryStream(input)), PipeWriter.Create(Stream.Null), limits);
        for (int i = 0; i < 10_000; i++)
        {
            TransportMessage message = transport.ReadAsync(null, CancellationToken.None).AsTask().WaitAsync(s_bound).GetAwaiter().GetResult();
            message.Release();
            if (message.Kind != TransportMessageKind.Message)
            {
                return;
            }

            if (message.Length > limits.MaxMessageBytes)
            {
                throw new FuzzCrashException($"a {message.Length}-byte message passed a {limits.MaxMessageBytes}-byte limit");
            }
        }
    }

    /// <summary>One message body, framed correctly, through a whole connection serving every local method.</summary>
    public static void Message(byte[] input) => ThroughConnection([input]);

    /// <summary>The input as the params of each local method: binding, required members and Validate().</summary>
    public static void Params(byte[] input)
    {
        string json = Encoding.UTF8.GetString(input);
        var bodies = new List<byte[]>();
        int id = 1;
        foreach (ILauncherMethod method in Methods.DaemonMethods)
        {
            bodies.Add(Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":{id++},\"method\":\"{method.Name}\",\"params\":{json}}}"));
        }

        ThroughConnection(bodies);
    }

    /// <summary>A compact JWS from a peer through the proof reader: true, false, never an exception.</summary>
    public static void Proof(byte[] input)
    {
        string jws = Encoding.UTF8.GetString(input);
        _ = ProofReader.TryVerify(jws, s_someKey.Value, out _, out _);
    }

    /// <summary>
    /// A TPMT_PUBLIC from a TPM or a peer through the one parser the daemon and the fleet server share: a
    /// <see cref="TpmFormatException"/> or an area whose name, point and key can all be taken.
    /// </summary>
    public static void TpmPublicArea(byte[] input)
    {
        TpmPublic area;
        try
        {
            area = TpmPublic.Parse(input);
        }
        catch (TpmFormatException)
        {
            return;
        }

        if (!area.Raw.AsSpan().SequenceEqual(input))
        {
            throw new FuzzCrashException("a parsed area's bytes are not the input");
        }

        if (area.ComputeName().Length != 2 + TpmHash.Size(area.NameAlg))
        {
            throw new FuzzCrashException("a name is not nameAlg || digest");
        }

        if (area.Type == TpmAlg.Ecc)
        {
            // Parse checked the point: every derived form must work.
            _ = area.EccPointSec1();
            _ = area.ExportSubjectPublicKeyInfo();
        }
        else
        {
            try
            {
                _ = area.ExportSubjectPublicKeyInfo();
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // An RSA modulus is not checked for being one (the daemon and the server handle this exception).
            }
        }
    }

    private static void ThroughConnection(IReadOnlyList<byte[]> bodies)
    {
        var framed = new MemoryStream();
        foreach (byte[] body in bodies)
        {
            framed.Write(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"));
            framed.Write(body);
        }

        framed.Position = 0;
        var logger = new FailureLogger();
        var output = new Pipe();
        var transport = new HeaderDelimitedTransport(PipeReader.Create(framed), output.Writer, RpcLimits.Default);
        var connection = new JsonRpcConnection(transport, LocalMethodsThatRefuse.Table, RpcLimits.Default, logger) { Name = "fuzz" };
        Task draining = DrainAsync(output.Reader);
        connection.Start();
        connection.Completion.WaitAsync(s_bound).GetAwaiter().GetResult();
        connection.DisposeAsync().AsTask().WaitAsync(s_bound).GetAwaiter().GetResult();
        output.Writer.Complete();
        draining.WaitAsync(s_bound).GetAwaiter().GetResult();
        if (logger.Failures.Count > 0)
        {
            throw new FuzzCrashException("the engine failed inside: " + string.Join(" | ", logger.Failures));
        }
    }

    private static async Task DrainAsync(PipeReader reader)
    {
        while (true)
        {
            ReadResult result = await reader.ReadAsync().ConfigureAwait(false);
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                await reader.CompleteAsync().ConfigureAwait(false);
                return;
            }
        }
    }
}
