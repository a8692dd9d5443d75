using Launcher.Attestation.Credentials;

using Launcher.Contracts.Tpm;
using Xunit;

namespace Launcher.Attestation.Tests;

public sealed class TpmKdfTests
{
    // The KDFa self-test vector of the TPM 2.0 reference implementation (SHA-256; label "KDFSELFTESTLABEL").
    [Fact]
    public void KdfA_ReferenceImplementationSelfTestVector_Matches()
    {
        byte[] key = Convert.FromHexString("271FA08BBDC5060EC3DFA928FF9B73123A12DA0C");
        byte[] contextU = Convert.FromHexString("CE244F395DCA7391");
        byte[] contextV = Convert.FromHexString("DA504031DDF12E83");

        byte[] derived = TpmKdf.KdfA(TpmAlg.Sha256, key, "KDFSELFTESTLABEL", contextU, contextV, 160);

        Assert.Equal("bb0259e1c8ba607e6a2cd704b69a902e9ade84c4", Convert.ToHexStringLower(derived));
    }

    // Published KDFe vectors (SHA-256), including lengths that are not whole bytes.
    [Theory]
    [InlineData("8995a6318a0217c7c7bf543f50da29016c4ff2a1ea5daf54ebcb00", "INTEGRITY", "8852f14d8e9b68", "74ff", 336,
        "92343ef558feb95fd14838f9ca39c8618598a7eeb31af7fc276030b8c3ff326d4870f190e54abbec9da4")]
    [InlineData("00", "OBFUSCATE", "ebcb3cd4a002941ed496ef1d32a70b0b7f6f05b8a51803d5a9ff9b", "a1f79a7ee2beee21e2bfaee67769874687bfe21b2468fc8e721b6e967e12ff", 496,
        "dcd14d72e0d5d8ec15b5ea15ae060e02f0e042f3af7efbd73650bb4457d73b060ef8f78bdf8cea099fe98fad6359bcfe92c1c6be8a157c1064c85ada3ad2")]
    [InlineData("e89fc5304cf46c1cf7d1f5de5d3d1ec7eddc80b0386700", "SECRET", "e602bc959fd97af0405649e0c80e02e9dd64e9d79e698292b043c79dfa9f9261", "", 431,
        "3a8e893b8b76cdddbf87845b2567fa7152577829f6a55b73cb82d4a1f0342a051d6e50e20ec2f96bc4de38d7d0d79a9caf99e1d574b9")]
    [InlineData("c3e3c34e82ccfa82d8999bf2635bb7cd01f3d65f03ff", "CFB", "55576a51c0e45b86557535e9ea50d5e7f4a80bb426e7ff", "dffdece923181dc335c1e936ff", 109,
        "1106264c89948737c140d2f5b40e")]
    [InlineData("ff16189cb377c3dbf0488b66ada0", "STORAGE", "b16cf6dcfb71cc1615c35ed617deb0f6c925eb8828827a675c190c2b0f40", "ff9d00b4", 359,
        "5529ebfa7d4dbdaf0923f36a8f0ac0e2842c1def72e0735d50eb0783494afa5163891c4f08287869a0a5b5fc4c")]
    public void KdfE_PublishedVectors_Match(string z, string label, string partyU, string partyV, int bits, string expected)
    {
        byte[] derived = TpmKdf.KdfE(TpmAlg.Sha256, Convert.FromHexString(z), label, Convert.FromHexString(partyU), Convert.FromHexString(partyV), bits);

        Assert.Equal(expected, Convert.ToHexStringLower(derived));
    }

    [Fact]
    public void KdfA_PartialBytes_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TpmKdf.KdfA(TpmAlg.Sha256, new byte[32], "STORAGE", [], [], 100));
    }
}
