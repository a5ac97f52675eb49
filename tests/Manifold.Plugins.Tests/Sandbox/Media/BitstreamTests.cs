using Manifold.Plugins.Sandbox.Media;

namespace Manifold.Plugins.Tests.Sandbox.Media;

public sealed class BitstreamTests
{
    [Fact]
    public void Writes_bits_most_significant_first()
    {
        var w = new BitWriter();
        w.WriteBits(0b101, 3);
        w.WriteBits(0b00001, 5);
        w.WriteBits(0xABCD, 16);
        w.WriteBits(0xDEADBEEF, 32);
        Assert.Equal([0xA1, 0xAB, 0xCD, 0xDE, 0xAD, 0xBE, 0xEF], w.ToArray());
        Assert.Equal(56, w.BitLength);
    }

    [Fact]
    public void Rejects_values_wider_than_their_field()
    {
        var w = new BitWriter();
        Assert.Throws<ArgumentOutOfRangeException>(() => w.WriteBits(4, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => w.WriteBits(0, 33));
    }

    [Theory]
    [InlineData(0u, "1")]
    [InlineData(1u, "010")]
    [InlineData(2u, "011")]
    [InlineData(3u, "00100")]
    [InlineData(6u, "00111")]
    [InlineData(7u, "0001000")]
    [InlineData(25u, "000011010")]
    [InlineData(30u, "000011111")]
    [InlineData(254u, "000000011111111")]
    public void Writes_unsigned_exp_golomb(uint value, string bits)
    {
        var w = new BitWriter();
        w.WriteUe(value);
        Assert.Equal(bits, Bits(w));
    }

    [Theory]
    [InlineData(0, "1")]
    [InlineData(1, "010")]
    [InlineData(-1, "011")]
    [InlineData(2, "00100")]
    [InlineData(-2, "00101")]
    [InlineData(3, "00110")]
    public void Writes_signed_exp_golomb(int value, string bits)
    {
        var w = new BitWriter();
        w.WriteSe(value);
        Assert.Equal(bits, Bits(w));
    }

    [Fact]
    public void Exp_golomb_codes_read_back_across_the_whole_range()
    {
        var random = new Random(7);
        var unsigned = new List<uint> { 0, 1, 2, 31, 32, 65535, 65536, int.MaxValue, uint.MaxValue - 1 };
        var signed = new List<int> { 0, 1, -1, 1000, -1000, int.MaxValue, -int.MaxValue };
        for (var i = 0; i < 500; i++)
        {
            unsigned.Add((uint)random.NextInt64(0, uint.MaxValue));
            signed.Add(random.Next(-100_000, 100_000));
        }
        var w = new BitWriter();
        foreach (var v in unsigned)
        {
            w.WriteUe(v);
        }
        foreach (var v in signed)
        {
            w.WriteSe(v);
        }
        w.WriteTrailingBits();

        var r = new BitReader(w.ToArray());
        foreach (var v in unsigned)
        {
            Assert.Equal(v, r.ReadUe());
        }
        foreach (var v in signed)
        {
            Assert.Equal(v, r.ReadSe());
        }
        Assert.Equal(1u, r.ReadBits(1)); // rbsp_stop_one_bit
    }

    [Fact]
    public void Aligns_with_zeros_and_ends_with_trailing_bits()
    {
        var w = new BitWriter();
        w.WriteBits(1, 1);
        Assert.False(w.IsByteAligned);
        w.AlignWithZeros();
        Assert.True(w.IsByteAligned);
        w.AlignWithZeros(); // already aligned: nothing
        w.WriteBytes([0x12, 0x34]);
        w.WriteBits(0b11, 2);
        w.WriteTrailingBits();
        Assert.Equal([0x80, 0x12, 0x34, 0xE0], w.ToArray());

        var aligned = new BitWriter();
        aligned.WriteTrailingBits();
        Assert.Equal([0x80], aligned.ToArray());
    }

    [Fact]
    public void Refuses_bytes_or_output_when_not_aligned()
    {
        var w = new BitWriter();
        w.WriteBits(1, 3);
        Assert.Throws<InvalidOperationException>(() => w.WriteBytes([1]));
        Assert.Throws<InvalidOperationException>(() => w.ToArray());
    }

    [Fact]
    public void Grows_past_its_initial_capacity()
    {
        var w = new BitWriter(16);
        var payload = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();
        w.WriteBits(0xF, 4);
        w.WriteBits(0xF, 4);
        w.WriteBytes(payload);
        for (var i = 0; i < 1000; i++)
        {
            w.WriteUe((uint)i);
        }
        w.WriteTrailingBits();
        var bytes = w.ToArray();
        Assert.Equal(0xFF, bytes[0]);
        Assert.Equal(payload, bytes[1..10_001]);
        var r = new BitReader(bytes[10_001..]);
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal((uint)i, r.ReadUe());
        }
    }

    [Theory]
    [InlineData("000000", "0000030003")] // and a final 0x03, as the last byte may not be 0x00
    [InlineData("000001", "00000301")]
    [InlineData("000002", "00000302")]
    [InlineData("000003", "00000303")]
    [InlineData("000004", "000004")]
    [InlineData("00000000", "000003000003")]
    [InlineData("0000000000", "0000030000030003")]
    [InlineData("00000000000001", "00000300000300000301")]
    [InlineData("0100000201000003", "01000003020100000303")]
    [InlineData("FF00", "FF0003")]
    [InlineData("00", "0003")]
    [InlineData("123456", "123456")]
    [InlineData("", "")]
    public void Emulation_prevention_inserts_three_bytes(string rbsp, string escaped)
    {
        var input = Convert.FromHexString(rbsp);
        var output = new byte[NalUnit.MaxLength(input.Length)];
        var length = NalUnit.Escape(input, output);
        Assert.Equal(escaped, Convert.ToHexString(output, 0, length));
    }

    [Fact]
    public void Escaped_payloads_hold_no_start_code_and_unescape_to_the_input()
    {
        var random = new Random(11);
        for (var n = 0; n < 300; n++)
        {
            // Mostly zeros and small values: the bytes that need escaping.
            var input = new byte[random.Next(0, 200)];
            for (var i = 0; i < input.Length; i++)
            {
                input[i] = random.Next(3) == 0 ? (byte)random.Next(256) : (byte)random.Next(4);
            }
            var nal = NalUnit.Create(2, NalUnit.NonIdrSlice, input);
            Assert.Equal(0x41, nal[0]);
            var payload = nal.AsSpan(1);
            for (var i = 2; i < payload.Length; i++)
            {
                if (payload[i - 2] == 0 && payload[i - 1] == 0)
                {
                    // 00 00 00, 00 00 01 and 00 00 02 never appear; 00 00 03 only as emulation prevention.
                    Assert.True(payload[i] >= 3, $"00 00 {payload[i]:X2} at {i} in {Convert.ToHexString(payload)}");
                }
            }
            Assert.True(payload.Length == 0 || payload[^1] != 0);
            if (input.Length > 0 && input[^1] == 0)
            {
                Assert.Equal(3, payload[^1]);
                payload = payload[..^1];
            }
            Assert.Equal(input, Unescape(payload));
        }
    }

    [Fact]
    public void Nal_header_carries_reference_idc_and_type()
    {
        Assert.Equal([0x67, 0xAB], NalUnit.Create(3, NalUnit.SequenceParameterSet, [0xAB]));
        Assert.Equal([0x68, 0xCE], NalUnit.Create(3, NalUnit.PictureParameterSet, [0xCE]));
        Assert.Equal([0x65, 0x88], NalUnit.Create(3, NalUnit.IdrSlice, [0x88]));
        Assert.Throws<ArgumentOutOfRangeException>(() => NalUnit.Create(4, 1, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => NalUnit.Create(0, 32, []));
    }

    /// <summary>A decoder's view (§7.4.1.1): drop each 0x03 that follows two zero bytes.</summary>
    internal static byte[] Unescape(ReadOnlySpan<byte> payload)
    {
        var output = new List<byte>(payload.Length);
        var zeros = 0;
        foreach (var b in payload)
        {
            if (zeros >= 2 && b == 3)
            {
                zeros = 0;
                continue;
            }
            output.Add(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return [.. output];
    }

    private static string Bits(BitWriter w)
    {
        var count = (int)w.BitLength;
        w.AlignWithZeros();
        var bytes = w.ToArray();
        var text = string.Concat(bytes.Select(b => Convert.ToString(b, 2).PadLeft(8, '0')));
        return text[..count];
    }
}

/// <summary>A most-significant-bit-first reader of <c>u(n)</c>, <c>ue(v)</c> and <c>se(v)</c>, for checking the writer and parsing what it wrote.</summary>
internal sealed class BitReader(byte[] data)
{
    private long _position;

    public long Position => _position;

    public bool IsByteAligned => _position % 8 == 0;

    public long BitsLeft => (long)data.Length * 8 - _position;

    public uint ReadBits(int count)
    {
        uint value = 0;
        for (var i = 0; i < count; i++)
        {
            var bit = (data[_position >> 3] >> (7 - (int)(_position & 7))) & 1;
            value = (value << 1) | (uint)bit;
            _position++;
        }
        return value;
    }

    public bool ReadFlag() => ReadBits(1) == 1;

    public uint ReadUe()
    {
        var zeros = 0;
        while (ReadBits(1) == 0)
        {
            zeros++;
        }
        if (zeros == 0)
        {
            return 0;
        }
        var rest = zeros > 32 ? throw new InvalidDataException("exp-Golomb code too long") : ReadLong(zeros);
        return (uint)((1UL << zeros) - 1 + rest);
    }

    public int ReadSe()
    {
        var k = ReadUe();
        return (k & 1) == 1 ? (int)((k + 1) / 2) : -(int)(k / 2);
    }

    public void Skip(long bits) => _position += bits;

    private ulong ReadLong(int count)
    {
        ulong value = 0;
        for (var i = 0; i < count; i++)
        {
            value = (value << 1) | ReadBits(1);
        }
        return value;
    }
}
