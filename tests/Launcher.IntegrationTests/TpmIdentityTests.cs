using Launcher.Contracts;
using Launcher.Contracts.Identity;
using Launcher.Rpc;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Launcher.IntegrationTests;

/// <summary>The daemon with its machine key in a real (software) TPM: swtpm, tpm2-tss, the native shim.</summary>
public sealed class TpmIdentityTests
{
    [TpmRootFact(Timeout = 120000)]
    public async Task TpmKey_ProvesAndSurvivesRestart_ButAnotherTpmMeansLost()
    {
        await using var sandbox = new Sandbox();
        string thumbprint;
        using (SwtpmInstance tpm = SwtpmInstance.Start(Path.Combine(sandbox.Root, "tpm-a")))
        {
            ChildProcess daemon = await sandbox.StartDaemonReadyAsync("--key-store", "tpm", "--tpm-tcti", tpm.Tcti);
            await using (JsonRpcConnection admin = await TestClient.ConnectAsync(sandbox.SocketPath))
            {
                IdentityResult identity = await admin.InvokeAsync(Methods.IdentityGet, EmptyParams.Instance);
                Assert.Equal(KeyClasses.Tpm, identity.KeyClass);
                Assert.Equal(IdentityStates.Ready, identity.State);
                thumbprint = identity.Thumbprint!;
                ProveResult proof = await admin.InvokeAsync(Methods.IdentityProve, new ProveParams { Audience = "https://fleet.example", Nonce = "tpm-nonce-1234" });
                await AssertVerifiesAsync(proof.Jws, identity.PublicKeyJwk!);
                Assert.True(File.Exists(Path.Combine(sandbox.StateDirectory, "machine-key.tpm.pub")));
                Assert.True(File.Exists(Path.Combine(sandbox.StateDirectory, "machine-key.tpm.priv")));
            }

            daemon.KillHard();
            await sandbox.StartDaemonReadyAsync("--key-store", "tpm", "--tpm-tcti", tpm.Tcti);
            await using JsonRpcConnection again = await TestClient.ConnectAsync(sandbox.SocketPath);
            IdentityResult reloaded = await again.InvokeAsync(Methods.IdentityGet, EmptyParams.Instance);
            Assert.True(thumbprint == reloaded.Thumbprint, $"{reloaded.State}: {reloaded.StateReason}");
            sandbox.Daemon!.KillHard();
        }

        byte[] privateBlob = File.ReadAllBytes(Path.Combine(sandbox.StateDirectory, "machine-key.tpm.priv"));
        using (SwtpmInstance other = SwtpmInstance.Start(Path.Combine(sandbox.Root, "tpm-b")))
        {
            await sandbox.StartDaemonReadyAsync("--key-store", "tpm", "--tpm-tcti", other.Tcti);
            await using JsonRpcConnection admin = await TestClient.ConnectAsync(sandbox.SocketPath);
            IdentityResult identity = await admin.InvokeAsync(Methods.IdentityGet, EmptyParams.Instance);

            Assert.Equal(IdentityStates.Lost, identity.State);
            Assert.Null(identity.Thumbprint);
            Assert.Equal(privateBlob, File.ReadAllBytes(Path.Combine(sandbox.StateDirectory, "machine-key.tpm.priv")));
            RpcException refused = await Assert.ThrowsAsync<RpcException>(() => admin.InvokeAsync(Methods.IdentityProve, new ProveParams { Audience = "a", Nonce = "nonce-12345" }));
            Assert.Equal(ErrorCodes.IdentityUnavailable, refused.Code);
            sandbox.Daemon!.KillHard();
        }
    }

    [TpmRootFact(Timeout = 120000)]
    public async Task TpmUnreachable_WithAnExistingKey_IsUnavailableNotLostNorSoftware()
    {
        await using var sandbox = new Sandbox();
        string tcti;
        using (SwtpmInstance tpm = SwtpmInstance.Start(Path.Combine(sandbox.Root, "tpm")))
        {
            tcti = tpm.Tcti;
            await sandbox.StartDaemonReadyAsync("--key-store", "auto", "--tpm-tcti", tcti);
            sandbox.Daemon!.KillHard();
        }

        await sandbox.StartDaemonReadyAsync("--key-store", "auto", "--tpm-tcti", tcti);
        await using JsonRpcConnection admin = await TestClient.ConnectAsync(sandbox.SocketPath);
        IdentityResult identity = await admin.InvokeAsync(Methods.IdentityGet, EmptyParams.Instance);

        Assert.Equal(KeyClasses.Tpm, identity.KeyClass);
        Assert.Equal(IdentityStates.Unavailable, identity.State);
        Assert.False(File.Exists(Path.Combine(sandbox.StateDirectory, "machine-key.software.p8")));
    }

    private static async Task AssertVerifiesAsync(string jws, PublicKeyJwk jwk)
    {
        TokenValidationResult result = await new JsonWebTokenHandler().ValidateTokenAsync(jws, new TokenValidationParameters
        {
            IssuerSigningKey = new JsonWebKey { Kty = jwk.Kty, Crv = jwk.Crv, X = jwk.X, Y = jwk.Y },
            ValidAudience = "https://fleet.example",
            ValidateIssuer = false,
            ValidTypes = [ProofFormat.MachineProofType],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(KeyClasses.Tpm, ((JsonWebToken)result.SecurityToken).GetClaim("key_class").Value);
    }
}
