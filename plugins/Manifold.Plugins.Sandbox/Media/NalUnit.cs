namespace Manifold.Plugins.Sandbox.Media;

/// <summary>
/// H.264 NAL units (Rec. ITU-T H.264 §7.3.1): the one-byte header and the RBSP with emulation prevention, so that
/// no <c>0x000000</c>, <c>0x000001</c>, <c>0x000002</c> or unintended <c>0x000003</c> appears inside the unit.
/// </summary>
internal static class NalUnit
{
    public const int NonIdrSlice = 1;
    public const int IdrSlice = 5;
    public const int SequenceParameterSet = 7;
    public const int PictureParameterSet = 8;

    /// <summary>The most bytes <see cref="Write"/> can produce for an RBSP of <paramref name="rbspLength"/> bytes.</summary>
    public static int MaxLength(int rbspLength) => checked(1 + rbspLength + rbspLength / 2 + 1);

    /// <summary>Builds one NAL unit (header and escaped payload), without a start code or length prefix.</summary>
    public static byte[] Create(int nalRefIdc, int nalUnitType, ReadOnlySpan<byte> rbsp)
    {
        var buffer = new byte[MaxLength(rbsp.Length)];
        var length = Write(nalRefIdc, nalUnitType, rbsp, buffer);
        return buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>Writes the header byte and the escaped RBSP into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Write(int nalRefIdc, int nalUnitType, ReadOnlySpan<byte> rbsp, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nalRefIdc);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nalRefIdc, 3);
        ArgumentOutOfRangeException.ThrowIfNegative(nalUnitType);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nalUnitType, 31);
        // forbidden_zero_bit (0), nal_ref_idc (2 bits), nal_unit_type (5 bits).
        destination[0] = (byte)((nalRefIdc << 5) | nalUnitType);
        return 1 + Escape(rbsp, destination[1..]);
    }

    /// <summary>
    /// Copies <paramref name="rbsp"/> into <paramref name="destination"/>, inserting <c>emulation_prevention_three_byte</c>
    /// after every two zero bytes that a byte ≤ 3 follows, and after a final zero byte; returns the bytes written.
    /// </summary>
    public static int Escape(ReadOnlySpan<byte> rbsp, Span<byte> destination)
    {
        var written = 0;
        var zeros = 0;
        var i = 0;
        while (i < rbsp.Length)
        {
            var value = rbsp[i++];
            if (zeros >= 2 && value <= 3)
            {
                destination[written++] = 3;
                zeros = 0;
            }
            destination[written++] = value;
            if (value == 0)
            {
                zeros++;
                continue;
            }
            zeros = 0;
            // Bytes up to the next zero need no inspection: copy them in one go.
            var rest = rbsp[i..];
            var next = rest.IndexOf((byte)0);
            var run = next < 0 ? rest.Length : next;
            rest[..run].CopyTo(destination[written..]);
            written += run;
            i += run;
        }
        if (zeros > 0)
        {
            // A NAL unit never ends in 0x00 (§7.4.1); only cabac_zero_words could make an RBSP do so.
            destination[written++] = 3;
        }
        return written;
    }
}
