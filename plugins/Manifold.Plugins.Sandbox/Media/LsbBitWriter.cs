using System.Buffers.Binary;

namespace Manifold.Plugins.Sandbox.Media;

/// <summary>
/// A least-significant-bit-first bit writer, as WebP lossless (and DEFLATE) pack their bits: each value's low bit
/// goes into the lowest free bit of the current byte. (Prefix codes, read most significant bit first, are written
/// bit-reversed; see <see cref="PrefixCode.Reverse"/>.)
/// </summary>
internal sealed class LsbBitWriter(int capacity = 256)
{
    private byte[] _buffer = new byte[Math.Max(16, capacity)];
    private int _length;
    private ulong _pending;
    private int _pendingBits;

    /// <summary>Bits written so far.</summary>
    public long BitLength => (long)_length * 8 + _pendingBits;

    /// <summary>Writes the low <paramref name="count"/> (0–32) bits of <paramref name="value"/>, low bit first.</summary>
    public void WriteBits(uint value, int count)
    {
        if ((uint)count > 32 || (count < 32 && value >> count != 0))
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"{value} does not fit in {count} bits.");
        }
        _pending |= (ulong)value << _pendingBits;
        _pendingBits += count;
        if (_pendingBits >= 32)
        {
            if (_buffer.Length - _length < 4)
            {
                Grow(4);
            }
            BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_length), (uint)_pending);
            _length += 4;
            _pending >>= 32;
            _pendingBits -= 32;
        }
    }

    /// <summary>The bytes written, the last one padded with zero bits.</summary>
    public ReadOnlySpan<byte> Finish()
    {
        var bytes = (_pendingBits + 7) / 8;
        if (_buffer.Length - _length < bytes)
        {
            Grow(bytes);
        }
        for (var i = 0; i < bytes; i++)
        {
            _buffer[_length++] = (byte)(_pending >> (8 * i));
        }
        _pending = 0;
        _pendingBits = 0;
        return _buffer.AsSpan(0, _length);
    }

    private void Grow(int extra)
    {
        var size = Math.Max((long)_length + extra, (long)_buffer.Length * 2);
        Array.Resize(ref _buffer, checked((int)Math.Min(size, Array.MaxLength)));
    }
}
