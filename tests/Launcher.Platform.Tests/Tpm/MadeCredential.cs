using System.Buffers.Binary;

namespace Launcher.Platform.Tests.Tpm;

/// <summary>
/// A credential made without a TPM by <c>tpm2_makecredential -T none</c> (tpm2-tools): the server's side of
/// credential activation, computed by an implementation independent of ours. Its output file is
/// BE32 0xBADCC0DE, BE32 version 1, then the marshalled TPM2B_ID_OBJECT and TPM2B_ENCRYPTED_SECRET.
/// </summary>
internal sealed record MadeCredential(byte[] CredentialBlob, byte[] EncryptedSecret)
{
    public static MadeCredential Make(SwtpmInstance tpm, byte[] ekPublicArea, byte[] akName, byte[] secret, string directory)
    {
        string ekFile = Path.Combine(directory, $"ek-{Guid.NewGuid():N}.pub");
        string secretFile = Path.Combine(directory, $"secret-{Guid.NewGuid():N}.bin");
        string outputFile = Path.Combine(directory, $"credential-{Guid.NewGuid():N}.out");
        byte[] tpm2bPublic = new byte[2 + ekPublicArea.Length];
        BinaryPrimitives.WriteUInt16BigEndian(tpm2bPublic, (ushort)ekPublicArea.Length);
        ekPublicArea.CopyTo(tpm2bPublic, 2);
        File.WriteAllBytes(ekFile, tpm2bPublic);
        File.WriteAllBytes(secretFile, secret);

        tpm.Tool("tpm2_makecredential", "-T", "none", "-u", ekFile, "-s", secretFile, "-n", Convert.ToHexString(akName), "-o", outputFile);
        return Parse(File.ReadAllBytes(outputFile));
    }

    public static MadeCredential Parse(ReadOnlySpan<byte> file)
    {
        if (file.Length < 12 || BinaryPrimitives.ReadUInt32BigEndian(file) != 0xBADCC0DE || BinaryPrimitives.ReadUInt32BigEndian(file[4..]) != 1)
        {
            throw new FormatException("Not a tpm2_makecredential output file.");
        }

        ReadOnlySpan<byte> rest = file[8..];
        int blobLength = 2 + BinaryPrimitives.ReadUInt16BigEndian(rest);
        byte[] blob = rest[..blobLength].ToArray();
        rest = rest[blobLength..];
        int secretLength = 2 + BinaryPrimitives.ReadUInt16BigEndian(rest);
        if (secretLength != rest.Length)
        {
            throw new FormatException("Bytes follow the encrypted secret.");
        }

        return new MadeCredential(blob, rest.ToArray());
    }
}
