using System.Buffers.Binary;
using System.Text;

namespace Manifold.Plugins.Sandbox.Media;

/// <summary>What <see cref="Mp4Muxer"/> needs to know about the one H.264 video track.</summary>
/// <param name="SampleSizes">Bytes of each sample in <c>mdat</c>: its NAL units, each after a 4-byte big-endian length.</param>
/// <param name="SampleDurations">Each sample's duration in <paramref name="Timescale"/> units.</param>
/// <param name="SyncSamples">Whether each sample is a sync sample (an IDR picture).</param>
internal sealed record Mp4VideoTrack(
    int Width,
    int Height,
    int Timescale,
    byte[] Sps,
    byte[] Pps,
    IReadOnlyList<int> SampleSizes,
    IReadOnlyList<int> SampleDurations,
    IReadOnlyList<bool> SyncSamples)
{
    public long TotalDuration => SampleDurations.Sum(d => (long)d);

    public long PayloadLength => SampleSizes.Sum(s => (long)s);
}

/// <summary>
/// Writes an ISO base media file (ISO/IEC 14496-12, with the AVC file format of 14496-15) for one H.264 track:
/// <c>ftyp</c>, then <c>moov</c> before <c>mdat</c> ("fast start", so a player can begin while downloading), all
/// samples in one chunk. The caller writes the samples themselves after <see cref="BuildHeader"/>'s bytes.
/// </summary>
internal static class Mp4Muxer
{
    public const string MediaType = "video/mp4";
    public const int NalLengthSize = 4;
    private const int MovieTimescale = 1000;

    /// <summary>Everything before the first sample: <c>ftyp</c>, <c>moov</c> and the <c>mdat</c> box header.</summary>
    public static byte[] BuildHeader(Mp4VideoTrack track)
    {
        ArgumentNullException.ThrowIfNull(track);
        if (track.SampleSizes.Count == 0 || track.SampleSizes.Count != track.SampleDurations.Count || track.SampleSizes.Count != track.SyncSamples.Count)
        {
            throw new ArgumentException("A track needs at least one sample, and a size, duration and sync flag for each.", nameof(track));
        }
        if (!track.SyncSamples[0])
        {
            throw new ArgumentException("The first sample must be a sync sample.", nameof(track));
        }

        var payload = track.PayloadLength;
        var mdatHeaderSize = 8 + payload > uint.MaxValue ? 16 : 8;

        var ftyp = new BoxWriter();
        ftyp.Begin("ftyp");
        ftyp.Ascii("isom");
        ftyp.U32(0x200);
        ftyp.Ascii("isom");
        ftyp.Ascii("iso2");
        ftyp.Ascii("avc1");
        ftyp.Ascii("mp41");
        ftyp.End();

        // moov's size does not depend on the chunk offset's value, so build it once with a placeholder offset and patch.
        var moov = BuildMoov(track, out var chunkOffsetPosition, out var largeOffsets, ftyp.Length + mdatHeaderSize + payload);
        var chunkOffset = ftyp.Length + moov.Length + mdatHeaderSize;
        if (largeOffsets)
        {
            BinaryPrimitives.WriteUInt64BigEndian(moov.AsSpan(chunkOffsetPosition), (ulong)chunkOffset);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(moov.AsSpan(chunkOffsetPosition), checked((uint)chunkOffset));
        }

        var header = new byte[ftyp.Length + moov.Length + mdatHeaderSize];
        ftyp.ToArray().CopyTo(header, 0);
        moov.CopyTo(header, ftyp.Length);
        var mdat = header.AsSpan(ftyp.Length + moov.Length);
        if (mdatHeaderSize == 8)
        {
            BinaryPrimitives.WriteUInt32BigEndian(mdat, (uint)(8 + payload));
            Encoding.ASCII.GetBytes("mdat", mdat[4..]);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(mdat, 1);
            Encoding.ASCII.GetBytes("mdat", mdat[4..]);
            BinaryPrimitives.WriteUInt64BigEndian(mdat[8..], (ulong)(16 + payload));
        }
        return header;
    }

    private static byte[] BuildMoov(Mp4VideoTrack track, out int chunkOffsetPosition, out bool largeOffsets, long upperBoundOffset)
    {
        var count = track.SampleSizes.Count;
        var mediaDuration = track.TotalDuration;
        var movieDuration = (mediaDuration * MovieTimescale + track.Timescale / 2) / track.Timescale;
        largeOffsets = upperBoundOffset + 65536 > uint.MaxValue;
        var w = new BoxWriter();

        w.Begin("moov");

        w.BeginFull("mvhd", 0, 0);
        w.U32(0); // creation_time
        w.U32(0); // modification_time
        w.U32(MovieTimescale);
        w.U32(checked((uint)movieDuration));
        w.U32(0x00010000); // rate 1.0
        w.U16(0x0100); // volume 1.0
        w.Zeros(2 + 8); // reserved
        Matrix(w);
        w.Zeros(24); // pre_defined
        w.U32(2); // next_track_ID
        w.End();

        w.Begin("trak");
        w.BeginFull("tkhd", 0, 0x000003); // enabled, in movie
        w.U32(0);
        w.U32(0);
        w.U32(1); // track_ID
        w.U32(0); // reserved
        w.U32(checked((uint)movieDuration));
        w.Zeros(8); // reserved
        w.U16(0); // layer
        w.U16(0); // alternate_group
        w.U16(0); // volume: not audio
        w.U16(0); // reserved
        Matrix(w);
        w.U32((uint)track.Width << 16); // 16.16 fixed point
        w.U32((uint)track.Height << 16);
        w.End();

        w.Begin("mdia");
        w.BeginFull("mdhd", 0, 0);
        w.U32(0);
        w.U32(0);
        w.U32((uint)track.Timescale);
        w.U32(checked((uint)mediaDuration));
        w.U16(0x55C4); // language "und"
        w.U16(0); // pre_defined
        w.End();

        w.BeginFull("hdlr", 0, 0);
        w.U32(0); // pre_defined
        w.Ascii("vide");
        w.Zeros(12); // reserved
        w.Ascii("VideoHandler\0");
        w.End();

        w.Begin("minf");
        w.BeginFull("vmhd", 0, 1);
        w.U16(0); // graphicsmode: copy
        w.Zeros(6); // opcolor
        w.End();

        w.Begin("dinf");
        w.BeginFull("dref", 0, 0);
        w.U32(1); // entry_count
        w.BeginFull("url ", 0, 1); // the media data is in this file
        w.End();
        w.End();
        w.End();

        w.Begin("stbl");
        WriteSampleDescription(w, track);

        w.BeginFull("stts", 0, 0);
        var runs = new List<(int Count, int Delta)>();
        foreach (var duration in track.SampleDurations)
        {
            if (runs.Count > 0 && runs[^1].Delta == duration)
            {
                runs[^1] = (runs[^1].Count + 1, duration);
            }
            else
            {
                runs.Add((1, duration));
            }
        }
        w.U32((uint)runs.Count);
        foreach (var (runCount, delta) in runs)
        {
            w.U32((uint)runCount);
            w.U32((uint)delta);
        }
        w.End();

        w.BeginFull("stss", 0, 0);
        var syncCount = track.SyncSamples.Count(s => s);
        w.U32((uint)syncCount);
        for (var i = 0; i < count; i++)
        {
            if (track.SyncSamples[i])
            {
                w.U32((uint)(i + 1)); // sample numbers start at 1
            }
        }
        w.End();

        w.BeginFull("stsc", 0, 0);
        w.U32(1); // entry_count: every sample in one chunk
        w.U32(1); // first_chunk
        w.U32((uint)count); // samples_per_chunk
        w.U32(1); // sample_description_index
        w.End();

        w.BeginFull("stsz", 0, 0);
        w.U32(0); // sample_size: sizes vary
        w.U32((uint)count);
        foreach (var size in track.SampleSizes)
        {
            w.U32((uint)size);
        }
        w.End();

        if (largeOffsets)
        {
            w.BeginFull("co64", 0, 0);
            w.U32(1);
            chunkOffsetPosition = w.Length;
            w.U64(0);
        }
        else
        {
            w.BeginFull("stco", 0, 0);
            w.U32(1);
            chunkOffsetPosition = w.Length;
            w.U32(0);
        }
        w.End();

        w.End(); // stbl
        w.End(); // minf
        w.End(); // mdia
        w.End(); // trak
        w.End(); // moov
        return w.ToArray();
    }

    private static void WriteSampleDescription(BoxWriter w, Mp4VideoTrack track)
    {
        w.BeginFull("stsd", 0, 0);
        w.U32(1); // entry_count
        w.Begin("avc1");
        w.Zeros(6); // reserved
        w.U16(1); // data_reference_index
        w.Zeros(2 + 2 + 12); // pre_defined, reserved, pre_defined
        w.U16((ushort)track.Width);
        w.U16((ushort)track.Height);
        w.U32(0x00480000); // horizresolution 72 dpi
        w.U32(0x00480000); // vertresolution
        w.U32(0); // reserved
        w.U16(1); // frame_count
        var name = "Manifold sandbox"u8;
        w.U8((byte)name.Length); // compressorname: a Pascal string in 32 bytes
        w.Bytes(name);
        w.Zeros(31 - name.Length);
        w.U16(0x0018); // depth: colour, no alpha
        w.U16(0xFFFF); // pre_defined -1

        w.Begin("avcC");
        w.U8(1); // configurationVersion
        w.U8(track.Sps[1]); // AVCProfileIndication
        w.U8(track.Sps[2]); // profile_compatibility
        w.U8(track.Sps[3]); // AVCLevelIndication
        w.U8(0xFC | (NalLengthSize - 1)); // reserved, lengthSizeMinusOne
        w.U8(0xE0 | 1); // reserved, numOfSequenceParameterSets
        w.U16(checked((ushort)track.Sps.Length));
        w.Bytes(track.Sps);
        w.U8(1); // numOfPictureParameterSets
        w.U16(checked((ushort)track.Pps.Length));
        w.Bytes(track.Pps);
        w.End();

        w.Begin("colr");
        w.Ascii("nclx");
        w.U16(1); // colour_primaries: BT.709
        w.U16(1); // transfer_characteristics: BT.709
        w.U16(6); // matrix_coefficients: BT.601
        w.U8(0); // full_range_flag 0, reserved
        w.End();

        w.Begin("pasp");
        w.U32(1); // hSpacing
        w.U32(1); // vSpacing
        w.End();

        w.End(); // avc1
        w.End(); // stsd
    }

    private static void Matrix(BoxWriter w)
    {
        w.U32(0x00010000);
        w.U32(0);
        w.U32(0);
        w.U32(0);
        w.U32(0x00010000);
        w.U32(0);
        w.U32(0);
        w.U32(0);
        w.U32(0x40000000);
    }

    /// <summary>Big-endian box writing with nested sizes patched on <see cref="End"/>.</summary>
    private sealed class BoxWriter
    {
        private readonly MemoryStream _stream = new();
        private readonly Stack<long> _open = new();

        public int Length => checked((int)_stream.Length);

        public void Begin(string type)
        {
            _open.Push(_stream.Position);
            U32(0);
            Ascii(type);
        }

        public void BeginFull(string type, byte version, uint flags)
        {
            Begin(type);
            U32(((uint)version << 24) | flags);
        }

        public void End()
        {
            var start = _open.Pop();
            var end = _stream.Position;
            _stream.Position = start;
            U32(checked((uint)(end - start)));
            _stream.Position = end;
        }

        public void U8(int value) => _stream.WriteByte((byte)value);

        public void U16(int value)
        {
            Span<byte> b = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)value);
            _stream.Write(b);
        }

        public void U32(uint value)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(b, value);
            _stream.Write(b);
        }

        public void U64(ulong value)
        {
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(b, value);
            _stream.Write(b);
        }

        public void Ascii(string text) => _stream.Write(Encoding.ASCII.GetBytes(text));

        public void Bytes(ReadOnlySpan<byte> bytes) => _stream.Write(bytes);

        public void Zeros(int count)
        {
            for (var i = 0; i < count; i++)
            {
                _stream.WriteByte(0);
            }
        }

        public byte[] ToArray()
        {
            if (_open.Count != 0)
            {
                throw new InvalidOperationException("A box is still open.");
            }
            return _stream.ToArray();
        }
    }
}
