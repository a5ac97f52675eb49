using System.Buffers.Binary;
using System.Globalization;

namespace Manifold.Plugins.Sandbox.Media;

/// <summary>
/// A sandbox video, planned and ready to write: an MP4 (H.264 Constrained Baseline, 24 frames a second) of the
/// prompt's artwork with a bouncing ball, a progress bar and a frame counter. <see cref="Create"/> encodes the
/// frames once to learn their sizes (the <c>moov</c> box, which comes first, lists them); <see cref="WriteTo"/>
/// encodes them again, identically, straight into the destination, so no more than one frame is ever held.
/// </summary>
internal sealed class SandboxVideo
{
    public const string MediaType = Mp4Muxer.MediaType;
    public const int FramesPerSecond = 24;
    public const int Timescale = 24_000;
    public const int MinDimension = 16;
    public const int MaxDimension = 2048;
    public const double MaxSeconds = 60;

    /// <summary>An IDR picture (a seek point) every two seconds; the pictures between code only what moved.</summary>
    public const int KeyFrameInterval = 2 * FramesPerSecond;

    private const int TicksPerFrame = Timescale / FramesPerSecond;

    private readonly string _prompt;
    private readonly byte[] _header;
    private readonly int[] _sampleSizes;

    private SandboxVideo(string prompt, int width, int height, double seconds, int levelIdc, byte[] header, int[] sampleSizes, Mp4VideoTrack track)
    {
        _prompt = prompt;
        Width = width;
        Height = height;
        Seconds = seconds;
        LevelIdc = levelIdc;
        _header = header;
        _sampleSizes = sampleSizes;
        FrameCount = sampleSizes.Length;
        KeyFrameCount = track.SyncSamples.Count(s => s);
        Length = header.Length + track.PayloadLength;
        Duration = TimeSpan.FromSeconds((double)track.TotalDuration / Timescale);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The duration asked for.</summary>
    public double Seconds { get; }

    /// <summary>The track's duration: <see cref="Seconds"/> to the nearest 1/24,000 s (the last frame is shortened to fit).</summary>
    public TimeSpan Duration { get; }

    public int FrameCount { get; }

    public int KeyFrameCount { get; }

    /// <summary>The H.264 level_idc the stream declares (e.g. 41 for level 4.1).</summary>
    public int LevelIdc { get; }

    /// <summary>The file's size in bytes, for a <c>Content-Length</c>.</summary>
    public long Length { get; }

    /// <summary>Plans the video of <paramref name="prompt"/>: checks the arguments and encodes every frame once to size it.</summary>
    /// <exception cref="ArgumentException">A size that is odd or outside 16–2048, or a duration outside (0, 60] seconds.</exception>
    public static SandboxVideo Create(string? prompt, int width, int height, double seconds)
    {
        prompt ??= string.Empty;
        CheckSize(width, height);
        CheckSeconds(seconds);
        var totalTicks = TotalTicks(seconds);
        var frameCount = FrameCountFor(seconds);
        var durations = new int[frameCount];
        Array.Fill(durations, TicksPerFrame);
        durations[^1] = (int)(totalTicks - (long)(frameCount - 1) * TicksPerFrame);

        var sizes = new int[frameCount];
        var sync = new bool[frameCount];
        var frames = new FrameSequence(prompt, width, height, frameCount);
        long largest = 0, window = 0, busiest = 0;
        for (var i = 0; i < frameCount; i++)
        {
            var nal = frames.Next(out sync[i]);
            sizes[i] = Mp4Muxer.NalLengthSize + nal.Length;
            largest = Math.Max(largest, sizes[i]);
            window += sizes[i];
            if (i >= FramesPerSecond)
            {
                window -= sizes[i - FramesPerSecond];
            }
            busiest = Math.Max(busiest, window);
        }

        var level = H264Encoder.ChooseLevel(frames.Encoder.WidthInMbs, frames.Encoder.HeightInMbs, FramesPerSecond, largest, busiest);
        var track = new Mp4VideoTrack(width, height, Timescale, frames.Encoder.CreateSps(level), H264Encoder.CreatePps(), sizes, durations, sync);
        return new SandboxVideo(prompt, width, height, seconds, level, Mp4Muxer.BuildHeader(track), sizes, track);
    }

    internal static void CheckSeconds(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds <= 0 || seconds > MaxSeconds)
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, $"A video lasts more than 0 and at most {MaxSeconds} seconds.");
        }
    }

    /// <summary>Frames in a video of <paramref name="seconds"/>: whole frames of 1/24 s, the last one possibly shorter.</summary>
    internal static int FrameCountFor(double seconds) => (int)((TotalTicks(seconds) + TicksPerFrame - 1) / TicksPerFrame);

    private static long TotalTicks(double seconds) => Math.Max(1L, (long)Math.Round(seconds * Timescale, MidpointRounding.AwayFromZero));

    internal static void CheckSize(int width, int height)
    {
        if (width < MinDimension || height < MinDimension || width > MaxDimension || height > MaxDimension || width % 2 != 0 || height % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(
                width < MinDimension || width > MaxDimension || width % 2 != 0 ? nameof(width) : nameof(height),
                string.Create(CultureInfo.InvariantCulture, $"A video is {MinDimension}–{MaxDimension} pixels wide and high, in even numbers; got {width}x{height}."));
        }
    }

    /// <summary>Writes the whole MP4 to <paramref name="destination"/> (which need not seek).</summary>
    public void WriteTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        destination.Write(_header);
        var frames = new FrameSequence(_prompt, Width, Height, FrameCount);
        Span<byte> prefix = stackalloc byte[Mp4Muxer.NalLengthSize];
        for (var i = 0; i < FrameCount; i++)
        {
            var nal = Next(frames, i);
            BinaryPrimitives.WriteInt32BigEndian(prefix, nal.Length);
            destination.Write(prefix);
            destination.Write(nal.Span);
        }
    }

    /// <summary>Writes the whole MP4 to <paramref name="destination"/> asynchronously (e.g. an HTTP response body).</summary>
    public async Task WriteToAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await destination.WriteAsync(_header, cancellationToken).ConfigureAwait(false);
        var frames = new FrameSequence(_prompt, Width, Height, FrameCount);
        var prefix = new byte[Mp4Muxer.NalLengthSize];
        for (var i = 0; i < FrameCount; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var nal = Next(frames, i);
            BinaryPrimitives.WriteInt32BigEndian(prefix, nal.Length);
            await destination.WriteAsync(prefix, cancellationToken).ConfigureAwait(false);
            await destination.WriteAsync(nal, cancellationToken).ConfigureAwait(false);
        }
    }

    private ReadOnlyMemory<byte> Next(FrameSequence frames, int index)
    {
        var nal = frames.Next(out _);
        if (Mp4Muxer.NalLengthSize + nal.Length != _sampleSizes[index])
        {
            throw new InvalidOperationException($"Frame {index} encoded to {nal.Length} bytes, not the {_sampleSizes[index] - Mp4Muxer.NalLengthSize} planned.");
        }
        return nal;
    }

    /// <summary>The scene, the current decoded picture and the encoder: yields each frame's slice NAL unit in turn.</summary>
    internal sealed class FrameSequence
    {
        private readonly VideoScene _scene;
        private readonly byte[] _rgb;
        private readonly int _stride;
        private readonly int[] _stamps;
        private readonly byte[] _converted = new byte[MacroblockPicture.MacroblockBytes];
        private readonly List<int> _changed = [];
        private List<PixelRect> _regions = [];
        private List<PixelRect> _previousRegions = [];
        private int _frame = -1;
        private int _frameNum;
        private int _idrPicId;

        public FrameSequence(string prompt, int width, int height, int frameCount)
        {
            Encoder = new H264Encoder(width, height, FramesPerSecond);
            Picture = new MacroblockPicture(Encoder.WidthInMbs, Encoder.HeightInMbs);
            var renderWidth = Encoder.WidthInMbs * 16;
            var renderHeight = Encoder.HeightInMbs * 16;
            _scene = new VideoScene(new PromptArtwork(prompt), width, height, frameCount, FramesPerSecond, renderWidth, renderHeight);
            _stride = renderWidth * 3;
            _rgb = new byte[_stride * renderHeight];
            _stamps = new int[Picture.MacroblockCount];
            Array.Fill(_stamps, -1);
        }

        public H264Encoder Encoder { get; }

        /// <summary>The picture as a decoder holds it after the last frame returned.</summary>
        public MacroblockPicture Picture { get; }

        /// <summary>Macroblocks whose samples the last frame changed, ascending (a P frame codes exactly these; an IDR frame codes all).</summary>
        public IReadOnlyList<int> ChangedMacroblocks => _changed;

        /// <summary>Renders the next frame and encodes it; the NAL unit is valid until the next call.</summary>
        public ReadOnlyMemory<byte> Next(out bool isKeyFrame)
        {
            _frame++;
            _changed.Clear();
            _regions.Clear();
            _scene.AddOverlayRegions(_frame, _regions);
            if (_frame == 0)
            {
                _scene.Render(0, _rgb, _stride, new PixelRect(0, 0, Encoder.WidthInMbs * 16, Encoder.HeightInMbs * 16));
                for (var mb = 0; mb < Picture.MacroblockCount; mb++)
                {
                    MacroblockPicture.ConvertMacroblock(_rgb, _stride, mb % Encoder.WidthInMbs, mb / Encoder.WidthInMbs, Picture.Macroblock(mb));
                }
            }
            else
            {
                // What can differ from the previous frame lies where an overlay was, or now is.
                foreach (var region in _previousRegions)
                {
                    Update(region);
                }
                foreach (var region in _regions)
                {
                    Update(region);
                }
                _changed.Sort();
            }
            (_previousRegions, _regions) = (_regions, _previousRegions);

            isKeyFrame = _frame % KeyFrameInterval == 0;
            if (isKeyFrame)
            {
                _frameNum = 0;
                var nal = Encoder.EncodeIdr(Picture, _idrPicId);
                _idrPicId = (_idrPicId + 1) & 0xFFFF;
                return nal;
            }
            _frameNum = (_frameNum + 1) % H264Encoder.MaxFrameNum;
            return Encoder.EncodeP(Picture, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_changed), _frameNum);
        }

        /// <summary>Re-renders the macroblocks under <paramref name="region"/> and records those whose samples changed.</summary>
        private void Update(PixelRect region)
        {
            if (region.IsEmpty)
            {
                return;
            }
            var mbX0 = Math.Max(0, region.X >> 4);
            var mbY0 = Math.Max(0, region.Y >> 4);
            var mbX1 = Math.Min(Encoder.WidthInMbs, (region.Right + 15) >> 4);
            var mbY1 = Math.Min(Encoder.HeightInMbs, (region.Bottom + 15) >> 4);
            if (mbX0 >= mbX1 || mbY0 >= mbY1)
            {
                return;
            }
            _scene.Render(_frame, _rgb, _stride, PixelRect.FromEdges(mbX0 * 16, mbY0 * 16, mbX1 * 16, mbY1 * 16));
            for (var mbY = mbY0; mbY < mbY1; mbY++)
            {
                for (var mbX = mbX0; mbX < mbX1; mbX++)
                {
                    var mb = mbY * Encoder.WidthInMbs + mbX;
                    if (_stamps[mb] == _frame)
                    {
                        continue;
                    }
                    _stamps[mb] = _frame;
                    MacroblockPicture.ConvertMacroblock(_rgb, _stride, mbX, mbY, _converted);
                    var current = Picture.Macroblock(mb);
                    if (!_converted.AsSpan().SequenceEqual(current))
                    {
                        _converted.CopyTo(current);
                        _changed.Add(mb);
                    }
                }
            }
        }
    }
}
