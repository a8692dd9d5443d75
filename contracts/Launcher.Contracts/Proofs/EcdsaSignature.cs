using System.Formats.Asn1;

namespace Launcher.Contracts.Proofs;

/// <summary>
/// TEMPORARY copy on the macos branch only: the real one comes from the contracts work and replaces this file at
/// merge. Same signature, so callers do not change.
/// </summary>
public static class EcdsaSignature
{
    /// <summary>
    /// Converts a DER ECDSA signature (SEQUENCE { INTEGER r, INTEGER s }) to IEEE P1363 (r || s, each
    /// <paramref name="fieldBytes"/> long), the form JWS ES256 uses. Throws <see cref="FormatException"/> on anything
    /// that is not exactly one such sequence with positive integers that fit.
    /// </summary>
    public static byte[] DerToP1363(ReadOnlySpan<byte> der, int fieldBytes = 32)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fieldBytes);
        try
        {
            var reader = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
            AsnReader sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            byte[] result = new byte[2 * fieldBytes];
            CopyInteger(sequence.ReadIntegerBytes().Span, result.AsSpan(0, fieldBytes));
            CopyInteger(sequence.ReadIntegerBytes().Span, result.AsSpan(fieldBytes, fieldBytes));
            sequence.ThrowIfNotEmpty();
            return result;
        }
        catch (AsnContentException ex)
        {
            throw new FormatException("Not a DER ECDSA signature.", ex);
        }
    }

    private static void CopyInteger(ReadOnlySpan<byte> integer, Span<byte> destination)
    {
        if (integer.IsEmpty || (integer[0] & 0x80) != 0)
        {
            throw new FormatException("An ECDSA signature component is not a positive integer.");
        }

        // DER adds one leading zero when the top bit is set; anything else longer than the field does not fit.
        ReadOnlySpan<byte> magnitude = integer[0] == 0 && integer.Length > 1 ? integer[1..] : integer;
        if (magnitude.Length > destination.Length)
        {
            throw new FormatException("An ECDSA signature component is longer than the field.");
        }

        destination.Clear();
        magnitude.CopyTo(destination[(destination.Length - magnitude.Length)..]);
    }
}
