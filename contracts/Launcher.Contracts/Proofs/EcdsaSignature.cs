namespace Launcher.Contracts.Proofs;

/// <summary>
/// Conversions between the two encodings of an ECDSA signature: DER (<c>SEQUENCE { INTEGER r, INTEGER s }</c>, what
/// TPMs, OpenSSL and the native shims produce) and IEEE P1363 (<c>r || s</c>, each left-padded to the field size,
/// what JWS ES256 requires).
/// </summary>
public static class EcdsaSignature
{
    private const byte SequenceTag = 0x30;
    private const byte IntegerTag = 0x02;

    /// <summary>
    /// Converts a DER ECDSA-Sig-Value to the fixed-size P1363 form. Parsing is strict DER: exactly one SEQUENCE
    /// with minimal length encoding and no trailing bytes, holding exactly two positive, minimally encoded
    /// INTEGERs that fit the field. A signature from a device is verified elsewhere; this only refuses encodings
    /// a correct signer never produces, so a malformed one cannot be normalised into something that verifies.
    /// </summary>
    /// <param name="der">The DER-encoded signature.</param>
    /// <param name="fieldBytes">The size of one coordinate: 32 for P-256, 48 for P-384, 66 for P-521.</param>
    /// <returns>A new array of <c>2 * fieldBytes</c> bytes: r then s, big-endian, left-padded with zeros.</returns>
    /// <exception cref="FormatException">The input is not a strict DER ECDSA signature for this field size.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fieldBytes"/> is not positive.</exception>
    public static byte[] DerToP1363(ReadOnlySpan<byte> der, int fieldBytes = 32)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fieldBytes);

        ReadOnlySpan<byte> content = ReadElement(ref der, SequenceTag, "SEQUENCE");
        if (!der.IsEmpty)
        {
            throw new FormatException($"The signature has {der.Length} bytes after its SEQUENCE.");
        }

        var result = new byte[2 * fieldBytes];
        ReadInteger(ref content, "r", result.AsSpan(0, fieldBytes));
        ReadInteger(ref content, "s", result.AsSpan(fieldBytes, fieldBytes));
        if (!content.IsEmpty)
        {
            throw new FormatException($"The signature's SEQUENCE has {content.Length} bytes after s.");
        }

        return result;
    }

    private static void ReadInteger(ref ReadOnlySpan<byte> input, string name, Span<byte> destination)
    {
        ReadOnlySpan<byte> value = ReadElement(ref input, IntegerTag, $"INTEGER {name}");
        if (value.IsEmpty)
        {
            throw new FormatException($"INTEGER {name} is empty.");
        }

        if ((value[0] & 0x80) != 0)
        {
            throw new FormatException($"INTEGER {name} is negative.");
        }

        if (value[0] == 0)
        {
            // A leading zero is only allowed to keep a set high bit positive; any other is a non-minimal encoding.
            if (value.Length == 1)
            {
                throw new FormatException($"INTEGER {name} is zero, which no valid signature contains.");
            }

            if ((value[1] & 0x80) == 0)
            {
                throw new FormatException($"INTEGER {name} has a redundant leading zero.");
            }

            value = value[1..];
        }

        if (value.Length > destination.Length)
        {
            throw new FormatException($"INTEGER {name} has {value.Length} bytes; the field has {destination.Length}.");
        }

        destination[..^value.Length].Clear();
        value.CopyTo(destination[^value.Length..]);
    }

    private static ReadOnlySpan<byte> ReadElement(ref ReadOnlySpan<byte> input, byte tag, string what)
    {
        if (input.Length < 2)
        {
            throw new FormatException($"The signature ends before the {what} header.");
        }

        if (input[0] != tag)
        {
            throw new FormatException($"Expected {what} (tag 0x{tag:x2}), found tag 0x{input[0]:x2}.");
        }

        int length;
        int headerBytes;
        byte first = input[1];
        if (first < 0x80)
        {
            length = first;
            headerBytes = 2;
        }
        else if (first == 0x81)
        {
            // DER: the long form only when the short one cannot express the length.
            if (input.Length < 3 || input[2] < 0x80)
            {
                throw new FormatException($"The {what} length is not minimally encoded or is truncated.");
            }

            length = input[2];
            headerBytes = 3;
        }
        else if (first == 0x82)
        {
            if (input.Length < 4 || input[2] == 0)
            {
                throw new FormatException($"The {what} length is not minimally encoded or is truncated.");
            }

            length = (input[2] << 8) | input[3];
            headerBytes = 4;
        }
        else
        {
            // 0x80 is BER's indefinite length; more than two length bytes cannot occur in an ECDSA signature.
            throw new FormatException($"The {what} length form 0x{first:x2} is not allowed.");
        }

        if (length > input.Length - headerBytes)
        {
            throw new FormatException($"The {what} declares {length} bytes but only {input.Length - headerBytes} follow.");
        }

        ReadOnlySpan<byte> content = input.Slice(headerBytes, length);
        input = input[(headerBytes + length)..];
        return content;
    }
}
