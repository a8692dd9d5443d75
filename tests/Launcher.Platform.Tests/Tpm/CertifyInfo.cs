using System.Buffers.Binary;

namespace Launcher.Platform.Tests.Tpm;

/// <summary>A TPMS_ATTEST of type TPM_ST_ATTEST_CERTIFY, parsed independently of the shim (TPM 2.0 Part 2, 10.12).</summary>
internal sealed record CertifyInfo(uint Magic, ushort Type, byte[] QualifiedSigner, byte[] ExtraData, byte[] Name, byte[] QualifiedName)
{
    public const uint GeneratedValue = 0xff544347;
    public const ushort AttestCertify = 0x8017;

    public static CertifyInfo Parse(ReadOnlySpan<byte> bytes)
    {
        int offset = 0;
        uint magic = BinaryPrimitives.ReadUInt32BigEndian(Take(bytes, ref offset, 4));
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(Take(bytes, ref offset, 2));
        byte[] signer = Sized(bytes, ref offset);
        byte[] extraData = Sized(bytes, ref offset);
        _ = Take(bytes, ref offset, 8 + 4 + 4 + 1); // clockInfo: clock, resetCount, restartCount, safe
        _ = Take(bytes, ref offset, 8); // firmwareVersion
        byte[] name = Sized(bytes, ref offset);
        byte[] qualifiedName = Sized(bytes, ref offset);
        if (offset != bytes.Length)
        {
            throw new FormatException($"{bytes.Length - offset} bytes follow the TPMS_ATTEST.");
        }

        return new CertifyInfo(magic, type, signer, extraData, name, qualifiedName);
    }

    private static byte[] Sized(ReadOnlySpan<byte> bytes, ref int offset)
    {
        int size = BinaryPrimitives.ReadUInt16BigEndian(Take(bytes, ref offset, 2));
        return Take(bytes, ref offset, size).ToArray();
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> bytes, ref int offset, int count)
    {
        if (count > bytes.Length - offset)
        {
            throw new FormatException("The TPMS_ATTEST is truncated.");
        }

        ReadOnlySpan<byte> slice = bytes.Slice(offset, count);
        offset += count;
        return slice;
    }
}
