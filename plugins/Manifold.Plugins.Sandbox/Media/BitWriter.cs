using System.Numerics;

namespace Manifold.Plugins.Sandbox.Media;

/// <summary>
/// A most-significant-bit-first writer of H.264 RBSP syntax elements: fixed-width <c>u(n)</c>, exp-Golomb
/// <c>ue(v)</c> and <c>se(v)</c>, byte alignment and <c>rbsp_trailing_bits</c>. It writes the raw byte
/// sequence payload; <see cref="NalUnit"/> adds the header and emulation prevention.
/// </summary>
internal sealed class BitWriter
{
    private byte[] _buffer;
    private int _length;
    private ulong _pending;
    private int _pendingBits;

    public BitWriter(int capacity = 256) => _buffer = new byte[Math.Max(16, capacity)];

    /// <summary>Bits written so far, including any not yet completing a byte.</summary>
    public long BitLength => (long)_length * 8 + _pendingBits;

    public bool IsByteAligned => _pendingBits == 0;

    /// <summary>The bytes written; only valid when <see cref="IsByteAligned"/>.</summary>
    public ReadOnlySpan<byte> WrittenSpan
    {
        get
        {
            if (!IsByteAligned)
            {
                throw new InvalidOperationException("The bit writer is not byte aligned.");
            }
            return _buffer.AsSpan(0, _length);
        }
    }

    public void Reset()
    {
        _length = 0;
        _pending = 0;
        _pendingBits = 0;
    }

    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Writes the low <paramref name="count"/> bits of <paramref name="value"/>, most significant first.</summary>
    public void WriteBits(uint value, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 32);
        if (count == 0)
        {
            return;
        }
        if (count < 32 && value >> count != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"{value} does not fit in {count} bits.");
        }
        _pending = (_pending << count) | value;
        _pendingBits += count;
        while (_pendingBits >= 8)
        {
            _pendingBits -= 8;
            AppendByte((byte)(_pending >> _pendingBits));
        }
        _pending &= (1UL << _pendingBits) - 1;
    }

    public void WriteBit(bool value) => WriteBits(value ? 1u : 0u, 1);

    /// <summary><c>ue(v)</c>: unsigned exp-Golomb, <c>leadingZeros</c> zeros, then <c>value + 1</c> in <c>leadingZeros + 1</c> bits.</summary>
    public void WriteUe(uint value)
    {
        var codeNum = (ulong)value + 1;
        var bits = 64 - BitOperations.LeadingZeroCount(codeNum);
        var leadingZeros = bits - 1;
        // Up to 32 zeros, then up to 33 bits of codeNum: written in pieces of at most 32 bits.
        while (leadingZeros > 0)
        {
            var n = Math.Min(leadingZeros, 32);
            WriteBits(0, n);
            leadingZeros -= n;
        }
        if (bits > 32)
        {
            WriteBits((uint)(codeNum >> 32), bits - 32);
            WriteBits((uint)codeNum, 32);
        }
        else
        {
            WriteBits((uint)codeNum, bits);
        }
    }

    /// <summary><c>se(v)</c>: signed exp-Golomb, mapping 1, −1, 2, −2 … to code numbers 1, 2, 3, 4 ….</summary>
    public void WriteSe(int value)
    {
        var codeNum = value > 0 ? 2 * (long)value - 1 : -2 * (long)value;
        if (codeNum > uint.MaxValue - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(value));
        }
        WriteUe((uint)codeNum);
    }

    /// <summary>Zero bits up to the next byte boundary (e.g. <c>pcm_alignment_zero_bit</c>).</summary>
    public void AlignWithZeros()
    {
        if (_pendingBits != 0)
        {
            WriteBits(0, 8 - _pendingBits);
        }
    }

    /// <summary><c>rbsp_trailing_bits()</c>: a one bit, then zeros to the byte boundary.</summary>
    public void WriteTrailingBits()
    {
        WriteBits(1, 1);
        AlignWithZeros();
    }

    /// <summary>Appends whole bytes; the writer must be byte aligned.</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        if (!IsByteAligned)
        {
            throw new InvalidOperationException("The bit writer is not byte aligned.");
        }
        EnsureCapacity(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void AppendByte(byte value)
    {
        if (_length == _buffer.Length)
        {
            EnsureCapacity(1);
        }
        _buffer[_length++] = value;
    }

    private void EnsureCapacity(int extra)
    {
        var needed = (long)_length + extra;
        if (needed <= _buffer.Length)
        {
            return;
        }
        var size = Math.Max(needed, (long)_buffer.Length * 2);
        if (size > Array.MaxLength)
        {
            size = Math.Max(needed, Array.MaxLength);
        }
        Array.Resize(ref _buffer, checked((int)size));
    }
}
