namespace Manifold.Plugins.Sandbox.Media;

/// <summary>
/// A lossless H.264 encoder of the simplest conforming kind: Constrained Baseline profile, CAVLC, 4:2:0 8-bit, one
/// slice a picture. An IDR picture codes every macroblock as <c>I_PCM</c> (the samples themselves); a P picture
/// codes the macroblocks that changed since the previous picture as <c>I_PCM</c> and skips the rest (<c>P_Skip</c>
/// with a zero motion vector copies the reference exactly), so a picture costs what changed in it.
/// Decoded pictures are bit-exact copies of the input, so the encoder needs no reconstruction of its own.
/// </summary>
/// <remarks>
/// Parameter choices: <c>pic_order_cnt_type</c> 2 (output order is decoding order; every picture is a reference),
/// one reference frame, 16-bit <c>frame_num</c>, deblocking disabled in every slice (nothing to smooth in a lossless
/// picture), frame cropping when a size is not a multiple of 16, and VUI with square pixels, BT.601 matrix
/// (BT.709 primaries and transfer, i.e. sRGB-like content), limited range, the frame rate and
/// <c>max_dec_frame_buffering</c> 1 so players output each picture at once. Why every P-skip's motion vector is
/// zero (§8.4.1.1): a skipped macroblock's predicted vector is zero when a neighbour is missing or is a skip with a
/// zero vector; otherwise its neighbours are intra (no reference) and the median prediction is zero as well.
/// </remarks>
internal sealed class H264Encoder
{
    public const int ProfileIdc = 66;

    /// <summary><c>constraint_set0_flag</c> and <c>constraint_set1_flag</c>: Constrained Baseline (no FMO, ASO or redundant slices).</summary>
    public const byte ConstraintFlags = 0xC0;

    private const int Log2MaxFrameNum = 16;
    private const int SliceTypeP = 5;  // 5–9: every slice of the picture has the same type
    private const int SliceTypeI = 7;
    private const uint MbTypeIPcmInISlice = 25;
    private const uint MbTypeIPcmInPSlice = 5 + 25;

    private readonly BitWriter _rbsp;
    private byte[] _nal = [];

    public H264Encoder(int width, int height, int framesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(framesPerSecond, 1);
        if (width % 2 != 0 || height % 2 != 0)
        {
            throw new ArgumentException($"4:2:0 video needs an even width and height; got {width}x{height}.");
        }
        Width = width;
        Height = height;
        FramesPerSecond = framesPerSecond;
        WidthInMbs = (width + 15) / 16;
        HeightInMbs = (height + 15) / 16;
        _rbsp = new BitWriter(WidthInMbs * HeightInMbs * (MacroblockPicture.MacroblockBytes + 4) + 64);
    }

    public int Width { get; }

    public int Height { get; }

    public int WidthInMbs { get; }

    public int HeightInMbs { get; }

    public int MacroblockCount => WidthInMbs * HeightInMbs;

    public int FramesPerSecond { get; }

    /// <summary>frame_num wraps at this value.</summary>
    public static int MaxFrameNum => 1 << Log2MaxFrameNum;

    /// <summary>The sequence parameter set NAL unit (§7.3.2.1.1), header included, emulation-prevented.</summary>
    public byte[] CreateSps(int levelIdc)
    {
        var w = new BitWriter();
        w.WriteBits(ProfileIdc, 8);
        w.WriteBits(ConstraintFlags, 8); // constraint_set0..5_flag, reserved_zero_2bits
        w.WriteBits((uint)levelIdc, 8);
        w.WriteUe(0); // seq_parameter_set_id
        w.WriteUe(Log2MaxFrameNum - 4); // log2_max_frame_num_minus4
        w.WriteUe(2); // pic_order_cnt_type
        w.WriteUe(1); // max_num_ref_frames
        w.WriteBit(false); // gaps_in_frame_num_value_allowed_flag
        w.WriteUe((uint)WidthInMbs - 1); // pic_width_in_mbs_minus1
        w.WriteUe((uint)HeightInMbs - 1); // pic_height_in_map_units_minus1
        w.WriteBit(true); // frame_mbs_only_flag
        w.WriteBit(true); // direct_8x8_inference_flag
        var cropRight = WidthInMbs * 16 - Width;
        var cropBottom = HeightInMbs * 16 - Height;
        var cropping = cropRight != 0 || cropBottom != 0;
        w.WriteBit(cropping); // frame_cropping_flag
        if (cropping)
        {
            // In units of CropUnitX = CropUnitY = 2 (4:2:0, frame_mbs_only_flag 1).
            w.WriteUe(0);
            w.WriteUe((uint)cropRight / 2);
            w.WriteUe(0);
            w.WriteUe((uint)cropBottom / 2);
        }
        w.WriteBit(true); // vui_parameters_present_flag
        WriteVui(w);
        w.WriteTrailingBits();
        return NalUnit.Create(3, NalUnit.SequenceParameterSet, w.WrittenSpan);
    }

    private void WriteVui(BitWriter w)
    {
        w.WriteBit(true); // aspect_ratio_info_present_flag
        w.WriteBits(1, 8); // aspect_ratio_idc: 1:1
        w.WriteBit(false); // overscan_info_present_flag
        w.WriteBit(true); // video_signal_type_present_flag
        w.WriteBits(5, 3); // video_format: unspecified
        w.WriteBit(false); // video_full_range_flag: limited range
        w.WriteBit(true); // colour_description_present_flag
        w.WriteBits(1, 8); // colour_primaries: BT.709 (sRGB's)
        w.WriteBits(1, 8); // transfer_characteristics: BT.709
        w.WriteBits(6, 8); // matrix_coefficients: BT.601 (SMPTE 170M)
        w.WriteBit(false); // chroma_loc_info_present_flag
        w.WriteBit(true); // timing_info_present_flag
        w.WriteBits(1000, 32); // num_units_in_tick
        w.WriteBits((uint)(2000 * FramesPerSecond), 32); // time_scale: a frame is two ticks
        w.WriteBit(false); // fixed_frame_rate_flag: the container may shorten the last frame
        w.WriteBit(false); // nal_hrd_parameters_present_flag
        w.WriteBit(false); // vcl_hrd_parameters_present_flag
        w.WriteBit(false); // pic_struct_present_flag
        w.WriteBit(true); // bitstream_restriction_flag
        w.WriteBit(true); // motion_vectors_over_pic_boundaries_flag
        w.WriteUe(0); // max_bytes_per_pic_denom: no limit
        w.WriteUe(0); // max_bits_per_mb_denom: no limit (an I_PCM macroblock is 3,072 bits and more)
        w.WriteUe(11); // log2_max_mv_length_horizontal
        w.WriteUe(11); // log2_max_mv_length_vertical
        w.WriteUe(0); // max_num_reorder_frames
        w.WriteUe(1); // max_dec_frame_buffering
    }

    /// <summary>The picture parameter set NAL unit (§7.3.2.2).</summary>
    public static byte[] CreatePps()
    {
        var w = new BitWriter();
        w.WriteUe(0); // pic_parameter_set_id
        w.WriteUe(0); // seq_parameter_set_id
        w.WriteBit(false); // entropy_coding_mode_flag: CAVLC
        w.WriteBit(false); // bottom_field_pic_order_in_frame_present_flag
        w.WriteUe(0); // num_slice_groups_minus1
        w.WriteUe(0); // num_ref_idx_l0_default_active_minus1
        w.WriteUe(0); // num_ref_idx_l1_default_active_minus1
        w.WriteBit(false); // weighted_pred_flag
        w.WriteBits(0, 2); // weighted_bipred_idc
        w.WriteSe(0); // pic_init_qp_minus26
        w.WriteSe(0); // pic_init_qs_minus26
        w.WriteSe(0); // chroma_qp_index_offset
        w.WriteBit(true); // deblocking_filter_control_present_flag
        w.WriteBit(false); // constrained_intra_pred_flag
        w.WriteBit(false); // redundant_pic_cnt_present_flag
        w.WriteTrailingBits();
        return NalUnit.Create(3, NalUnit.PictureParameterSet, w.WrittenSpan);
    }

    /// <summary>
    /// An IDR picture: one I slice of <c>I_PCM</c> macroblocks. The NAL unit returned is valid until the next call.
    /// </summary>
    /// <param name="idrPicId">Must differ between two consecutive IDR pictures (0–65535).</param>
    public ReadOnlyMemory<byte> EncodeIdr(MacroblockPicture picture, int idrPicId)
    {
        CheckPicture(picture);
        ArgumentOutOfRangeException.ThrowIfNegative(idrPicId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(idrPicId, 65535);
        var w = _rbsp;
        w.Reset();
        w.WriteUe(0); // first_mb_in_slice
        w.WriteUe(SliceTypeI);
        w.WriteUe(0); // pic_parameter_set_id
        w.WriteBits(0, Log2MaxFrameNum); // frame_num: 0 in an IDR picture
        w.WriteUe((uint)idrPicId);
        w.WriteBit(false); // no_output_of_prior_pics_flag
        w.WriteBit(false); // long_term_reference_flag
        w.WriteSe(0); // slice_qp_delta
        w.WriteUe(1); // disable_deblocking_filter_idc
        for (var mb = 0; mb < picture.MacroblockCount; mb++)
        {
            WritePcmMacroblock(w, MbTypeIPcmInISlice, picture.Macroblock(mb));
        }
        w.WriteTrailingBits();
        return Package(3, NalUnit.IdrSlice);
    }

    /// <summary>
    /// A P picture that references the previous one: the macroblocks listed (ascending addresses) as <c>I_PCM</c>,
    /// every other one skipped. The NAL unit returned is valid until the next call.
    /// </summary>
    /// <param name="frameNum">The previous reference picture's frame_num plus one, modulo <see cref="MaxFrameNum"/>.</param>
    public ReadOnlyMemory<byte> EncodeP(MacroblockPicture picture, ReadOnlySpan<int> changedMacroblocks, int frameNum)
    {
        CheckPicture(picture);
        ArgumentOutOfRangeException.ThrowIfNegative(frameNum);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(frameNum, MaxFrameNum);
        var w = _rbsp;
        w.Reset();
        w.WriteUe(0); // first_mb_in_slice
        w.WriteUe(SliceTypeP);
        w.WriteUe(0); // pic_parameter_set_id
        w.WriteBits((uint)frameNum, Log2MaxFrameNum);
        w.WriteBit(false); // num_ref_idx_active_override_flag
        w.WriteBit(false); // ref_pic_list_modification_flag_l0
        w.WriteBit(false); // adaptive_ref_pic_marking_mode_flag: sliding window
        w.WriteSe(0); // slice_qp_delta
        w.WriteUe(1); // disable_deblocking_filter_idc
        var next = 0;
        foreach (var mb in changedMacroblocks)
        {
            if (mb < next || mb >= picture.MacroblockCount)
            {
                throw new ArgumentException("Changed macroblocks must be distinct, ascending and inside the picture.", nameof(changedMacroblocks));
            }
            w.WriteUe((uint)(mb - next)); // mb_skip_run
            WritePcmMacroblock(w, MbTypeIPcmInPSlice, picture.Macroblock(mb));
            next = mb + 1;
        }
        if (next < picture.MacroblockCount)
        {
            w.WriteUe((uint)(picture.MacroblockCount - next)); // the trailing mb_skip_run; then more_rbsp_data() is false
        }
        w.WriteTrailingBits();
        return Package(2, NalUnit.NonIdrSlice);
    }

    private static void WritePcmMacroblock(BitWriter w, uint mbType, ReadOnlySpan<byte> samples)
    {
        w.WriteUe(mbType);
        w.AlignWithZeros(); // pcm_alignment_zero_bit
        w.WriteBytes(samples); // pcm_sample_luma[256], pcm_sample_chroma[128]
    }

    private ReadOnlyMemory<byte> Package(int nalRefIdc, int nalUnitType)
    {
        var rbsp = _rbsp.WrittenSpan;
        var max = NalUnit.MaxLength(rbsp.Length);
        if (_nal.Length < max)
        {
            _nal = new byte[max];
        }
        var length = NalUnit.Write(nalRefIdc, nalUnitType, rbsp, _nal);
        return _nal.AsMemory(0, length);
    }

    private void CheckPicture(MacroblockPicture picture)
    {
        if (picture.WidthInMbs != WidthInMbs || picture.HeightInMbs != HeightInMbs)
        {
            throw new ArgumentException($"The picture is {picture.WidthInMbs}x{picture.HeightInMbs} macroblocks; the encoder codes {WidthInMbs}x{HeightInMbs}.", nameof(picture));
        }
    }

    // Table A-1: level_idc, MaxMBPS, MaxFS, MaxBR (kbit/s), MinCR.
    private static readonly (int Idc, long MaxMbps, long MaxFs, long MaxBr, int MinCr)[] Levels =
    [
        (10, 1_485, 99, 64, 2),
        (11, 3_000, 396, 192, 2),
        (12, 6_000, 396, 384, 2),
        (13, 11_880, 396, 768, 2),
        (20, 11_880, 396, 2_000, 2),
        (21, 19_800, 792, 4_000, 2),
        (22, 20_250, 1_620, 4_000, 2),
        (30, 40_500, 1_620, 10_000, 2),
        (31, 108_000, 3_600, 14_000, 4),
        (32, 216_000, 5_120, 20_000, 4),
        (40, 245_760, 8_192, 20_000, 4),
        (41, 245_760, 8_192, 50_000, 2),
        (42, 522_240, 8_704, 50_000, 2),
        (50, 589_824, 22_080, 135_000, 2),
        (51, 983_040, 36_864, 240_000, 2),
        (52, 2_073_600, 36_864, 240_000, 2),
        (60, 4_177_920, 139_264, 240_000, 2),
        (61, 8_355_840, 139_264, 480_000, 2),
        (62, 16_711_680, 139_264, 800_000, 2),
    ];

    /// <summary>
    /// The lowest level whose limits the stream keeps (Table A-1): frame size, frame width and height
    /// (√(8·MaxFS) macroblocks), macroblock rate, the largest access unit against
    /// <c>384·MaxMBPS·Δt / MinCR</c>, and the busiest second against <c>1200·MaxBR</c> bits (Baseline's NAL factor).
    /// </summary>
    public static int ChooseLevel(int widthInMbs, int heightInMbs, int framesPerSecond, long largestFrameBytes, long busiestSecondBytes)
    {
        long frameSize = (long)widthInMbs * heightInMbs;
        foreach (var level in Levels)
        {
            var maxSide = Math.Sqrt(8.0 * level.MaxFs);
            if (frameSize <= level.MaxFs
                && widthInMbs <= maxSide && heightInMbs <= maxSide
                && frameSize * framesPerSecond <= level.MaxMbps
                && largestFrameBytes * framesPerSecond * level.MinCr <= 384 * level.MaxMbps
                && busiestSecondBytes * 8 <= level.MaxBr * 1200)
            {
                return level.Idc;
            }
        }
        return Levels[^1].Idc;
    }
}
