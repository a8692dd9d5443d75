using Launcher.Contracts.Identity;
using Launcher.Fuzz;
using Xunit;

namespace Launcher.Contracts.Tests.Fuzz;

/// <summary>
/// The fuzz corpus and every recorded crash (tests/fuzz/regressions) through the fuzz targets, without AFL: what
/// the fuzzer found once stays fixed, and the seeds stay meaningful.
/// </summary>
public sealed class FuzzCorpusTests
{
    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        string root = Path.Combine(RepositoryRoot(), "tests", "fuzz");
        foreach (string target in FuzzTargets.Names)
        {
            foreach (string folder in new[] { Path.Combine(root, "corpus", target), Path.Combine(root, "regressions", target) })
            {
                if (!Directory.Exists(folder))
                {
                    continue;
                }

                foreach (string file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
                {
                    data.Add(target, Path.GetRelativePath(root, file));
                }
            }
        }

        return data;
    }

    [Theory(Timeout = 30000)]
    [MemberData(nameof(Inputs))]
    public async Task Target_CorpusOrRegressionInput_IsHandledWithoutACrash(string target, string file)
    {
        byte[] input = await File.ReadAllBytesAsync(Path.Combine(RepositoryRoot(), "tests", "fuzz", file));

        await Task.Run(() => FuzzTargets.Run(target, input));
    }

    [Fact]
    public void Corpus_HasSeedsForEveryTarget()
    {
        foreach (string target in FuzzTargets.Names)
        {
            Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "tests", "fuzz", "corpus", target)));
        }
    }

    [Fact]
    public void MessageTargets_ServeEveryLocalMethod()
    {
        Assert.Equal(Methods.DaemonMethods.Select(m => m.Name).Order(StringComparer.Ordinal), FuzzTargets.CoveredMethods.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ProofSeed_IsAValidProof_SoTheFuzzerStartsPastTheSignature()
    {
        string jws = File.ReadAllText(Path.Combine(RepositoryRoot(), "tests", "fuzz", "corpus", "proof", "valid-rfc6979-key"));
        var key = EcPublicKey.FromSec1(Convert.FromHexString(
            "0460FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB67903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299"));

        Assert.True(ProofReader.TryVerify(jws, key, out _, out ProofClaims? claims));
        Assert.Equal("tpm", claims!.KeyClass);
    }

    [Fact]
    public void Framing_DeclaredLengthOverTheLimit_IsRefusedNotACrash()
    {
        FuzzTargets.Run("framing", "Content-Length: 99999999\r\n\r\nxyz"u8.ToArray());
    }

    [Fact]
    public void UnknownTarget_IsAUsageError()
    {
        Assert.Throws<ArgumentException>(() => FuzzTargets.Run("nope", []));
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Launcher.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Launcher.sln not found above " + AppContext.BaseDirectory);
    }
}
