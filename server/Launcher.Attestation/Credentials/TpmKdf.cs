using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Launcher.Contracts.Tpm;

namespace Launcher.Attestation.Credentials;

/// <summary>
/// The TPM's key derivation functions (TCG TPM 2.0 Part 1, 11.4.10). KDFa is SP 800-108 in counter mode with HMAC
/// and exactly .NET's <see cref="SP800108HmacCounterKdf"/> (counter || label || 0x00 || context || L); KDFe is the
/// SP 800-56A one-step concatenation KDF with a plain hash, which .NET lacks, so it is written out here.
/// </summary>
public static class TpmKdf
{
    /// <summary>
    /// KDFa(hashAlg, key, label, contextU, contextV, bits) for a whole number of bytes (every TPM key size is).
    /// </summary>
    public static byte[] KdfA(ushort hashAlg, ReadOnlySpan<byte> key, string label, ReadOnlySpan<byte> contextU, ReadOnlySpan<byte> contextV, int bits)
    {
        if (bits <= 0 || bits % 8 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "KDFa here derives whole bytes only.");
        }

        byte[] context = new byte[contextU.Length + contextV.Length];
        contextU.CopyTo(context);
        contextV.CopyTo(context.AsSpan(contextU.Length));
        return SP800108HmacCounterKdf.DeriveBytes(key, TpmHash.Name(hashAlg), Encoding.ASCII.GetBytes(label), context, bits / 8);
    }

    /// <summary>
    /// KDFe(hashAlg, Z, label, partyUInfo, partyVInfo, bits): H(counter || Z || label || 0x00 || U || V) blocks,
    /// the leading bits of the first byte cleared when <paramref name="bits"/> is not a multiple of 8.
    /// </summary>
    public static byte[] KdfE(ushort hashAlg, ReadOnlySpan<byte> z, string label, ReadOnlySpan<byte> partyUInfo, ReadOnlySpan<byte> partyVInfo, int bits)
    {
        if (bits <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "bits must be positive.");
        }

        byte[] labelBytes = Encoding.ASCII.GetBytes(label);
        int hashSize = TpmHash.Size(hashAlg);
        int bytes = (bits + 7) / 8;
        var output = new byte[bytes];
        var block = new byte[4 + z.Length + labelBytes.Length + 1 + partyUInfo.Length + partyVInfo.Length];
        z.CopyTo(block.AsSpan(4));
        labelBytes.CopyTo(block.AsSpan(4 + z.Length));
        partyUInfo.CopyTo(block.AsSpan(4 + z.Length + labelBytes.Length + 1));
        partyVInfo.CopyTo(block.AsSpan(4 + z.Length + labelBytes.Length + 1 + partyUInfo.Length));
        int written = 0;
        for (uint counter = 1; written < bytes; counter++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(block, counter);
            byte[] digest = TpmHash.Digest(hashAlg, block);
            int take = Math.Min(hashSize, bytes - written);
            digest.AsSpan(0, take).CopyTo(output.AsSpan(written));
            written += take;
        }

        if (bits % 8 != 0)
        {
            output[0] &= (byte)((1 << (bits % 8)) - 1);
        }

        return output;
    }
}
