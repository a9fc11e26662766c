package org.uso4j.pipeline.image.webp;

/**
 * The headers of a VP8 key frame (RFC 6386 section 9; libwebp {@code VP8GetHeaders}, {@code VP8ParseQuant},
 * {@code VP8ParseProba}): picture size, segmentation, loop-filter settings, token partitions, per-segment
 * dequantization factors and the coefficient probabilities. After construction {@link #modes} is positioned at the
 * per-macroblock intra modes of the first partition.
 */
final class Vp8FrameHeader {
    static final int NUM_SEGMENTS = 4;
    private static final int FRAME_HEADER_SIZE = 10;

    final int width, height, mbW, mbH;
    private final int partition0;
    /** First partition, left positioned at the macroblock modes. */
    final Vp8BoolDecoder modes;
    /** Token partitions; macroblock row {@code y} reads partition {@code y & (count - 1)}. */
    final Vp8BoolDecoder[] tokens;

    final boolean useSegment, updateMap, absoluteDelta;
    final int[] segmentQuantizer = new int[NUM_SEGMENTS], segmentFilterLevel = new int[NUM_SEGMENTS];
    /** Segment-id tree probabilities (255 when not transmitted). */
    final int[] segmentProba = {255, 255, 255};

    final boolean simpleFilter, useLfDelta;
    final int filterLevel, sharpness;
    final int[] refLfDelta = new int[4], modeLfDelta = new int[4];

    /** Per segment: {DC, AC} factors for luma (y1), the luma DC block (y2) and chroma (uv). */
    final int[][] y1 = new int[NUM_SEGMENTS][], y2 = new int[NUM_SEGMENTS][], uv = new int[NUM_SEGMENTS][];
    /** Coefficient probabilities, indexed by {@link Vp8Tables#probaIndex}. */
    final int[] coeffProba = new int[Vp8Tables.COEFFS_PROBA0.length];
    final boolean useSkipProba;
    final int skipProba;

    /** Parses the VP8 frame in {@code data[off, off + len)} (the payload of a {@code VP8 } chunk). */
    Vp8FrameHeader(byte[] data, int off, int len) {
        if (len < FRAME_HEADER_SIZE) throw new WebpFormatException("VP8 frame header truncated (" + len + " bytes)");
        int bits = (data[off] & 0xFF) | (data[off + 1] & 0xFF) << 8 | (data[off + 2] & 0xFF) << 16;
        if ((bits & 1) != 0) throw new WebpFormatException("VP8 frame is not a key frame");
        if (((bits >> 1) & 7) > 3) throw new WebpFormatException("VP8 frame has unknown profile " + ((bits >> 1) & 7));
        if (((bits >> 4) & 1) == 0) throw new WebpFormatException("VP8 frame is not displayable");
        int partition0 = bits >>> 5;
        if ((data[off + 3] & 0xFF) != 0x9d || (data[off + 4] & 0xFF) != 0x01 || (data[off + 5] & 0xFF) != 0x2a) {
            throw new WebpFormatException("VP8 key frame start code missing");
        }
        width = ((data[off + 7] & 0xFF) << 8 | (data[off + 6] & 0xFF)) & 0x3fff; // top 2 bits: upscaling hint, ignored
        height = ((data[off + 9] & 0xFF) << 8 | (data[off + 8] & 0xFF)) & 0x3fff;
        if (width == 0 || height == 0) throw new WebpFormatException("VP8 frame has size " + width + "x" + height);
        mbW = (width + 15) >> 4;
        mbH = (height + 15) >> 4;
        int buf = off + FRAME_HEADER_SIZE, bufEnd = off + len;
        if (partition0 > bufEnd - buf) {
            throw new WebpFormatException("VP8 first partition of " + partition0 + " bytes exceeds the frame (" + (bufEnd - buf) + " bytes)");
        }
        this.partition0 = partition0;
        Vp8BoolDecoder br = new Vp8BoolDecoder(data, buf, buf + partition0);
        modes = br;
        br.getFlag(); // colour space (only 0 is defined)
        br.getFlag(); // clamping type (libwebp always clamps)

        // Segment header (9.3)
        useSegment = br.getFlag();
        boolean absolute = true;
        boolean map = false;
        if (useSegment) {
            map = br.getFlag();
            if (br.getFlag()) { // update segment feature data
                absolute = br.getFlag();
                for (int s = 0; s < NUM_SEGMENTS; s++) segmentQuantizer[s] = br.getFlag() ? br.getSignedValue(7) : 0;
                for (int s = 0; s < NUM_SEGMENTS; s++) segmentFilterLevel[s] = br.getFlag() ? br.getSignedValue(6) : 0;
            }
            if (map) for (int s = 0; s < 3; s++) segmentProba[s] = br.getFlag() ? br.getValue(8) : 255;
        }
        updateMap = map;
        absoluteDelta = absolute;
        if (br.eof()) throw new WebpFormatException("VP8 segment header truncated");

        // Filter header (9.4)
        simpleFilter = br.getFlag();
        filterLevel = br.getValue(6);
        sharpness = br.getValue(3);
        useLfDelta = br.getFlag();
        if (useLfDelta && br.getFlag()) {
            for (int i = 0; i < 4; i++) if (br.getFlag()) refLfDelta[i] = br.getSignedValue(6);
            for (int i = 0; i < 4; i++) if (br.getFlag()) modeLfDelta[i] = br.getSignedValue(6);
        }
        if (br.eof()) throw new WebpFormatException("VP8 filter header truncated");

        tokens = partitions(data, buf + partition0, bufEnd, 1 << br.getValue(2));
        parseQuant(br);
        br.getFlag(); // refresh entropy probabilities: irrelevant for a single key frame
        for (int i = 0; i < coeffProba.length; i++) {
            coeffProba[i] = br.getBit(Vp8Tables.COEFFS_UPDATE_PROBA[i]) != 0 ? br.getValue(8) : Vp8Tables.COEFFS_PROBA0[i];
        }
        useSkipProba = br.getFlag();
        skipProba = useSkipProba ? br.getValue(8) : 0;
    }

    /**
     * Refuses a picture that its first partition cannot describe, before any picture memory is allocated: every
     * macroblock codes at least ~1.6 bits of modes there (the block-size and chroma-mode bits have fixed
     * probabilities), so a much smaller partition is truncated and libwebp would fail on it too.
     */
    void requirePlausibleSize() {
        if ((long) mbW * mbH > 8L * partition0 + 64) {
            throw new WebpFormatException("VP8 first partition (" + partition0 + " bytes) is too small for a "
                    + width + "x" + height + " picture (truncated or corrupt)");
        }
    }

    /** Filter type as libwebp's {@code filter_type_}: 0 none (frame level 0), 1 simple, 2 normal. */
    int filterType() { return filterLevel == 0 ? 0 : simpleFilter ? 1 : 2; }

    /** Token partitions (9.5): 3-byte sizes of all but the last, which takes the rest and must not be empty. */
    private static Vp8BoolDecoder[] partitions(byte[] data, int start, int end, int count) {
        int sizesLen = 3 * (count - 1);
        if (end - start < sizesLen) throw new WebpFormatException("VP8 partition sizes truncated");
        Vp8BoolDecoder[] parts = new Vp8BoolDecoder[count];
        int partStart = start + sizesLen;
        for (int p = 0; p < count - 1; p++) {
            int s = start + 3 * p;
            int size = (data[s] & 0xFF) | (data[s + 1] & 0xFF) << 8 | (data[s + 2] & 0xFF) << 16;
            size = Math.min(size, end - partStart);
            parts[p] = new Vp8BoolDecoder(data, partStart, partStart + size);
            partStart += size;
        }
        if (partStart >= end) throw new WebpFormatException("VP8 token partitions truncated");
        parts[count - 1] = new Vp8BoolDecoder(data, partStart, end);
        return parts;
    }

    /** Dequantization factors per segment (9.6 and 14.1; libwebp {@code VP8ParseQuant}). */
    private void parseQuant(Vp8BoolDecoder br) {
        int baseQ = br.getValue(7);
        int dqY1Dc = br.getFlag() ? br.getSignedValue(4) : 0;
        int dqY2Dc = br.getFlag() ? br.getSignedValue(4) : 0;
        int dqY2Ac = br.getFlag() ? br.getSignedValue(4) : 0;
        int dqUvDc = br.getFlag() ? br.getSignedValue(4) : 0;
        int dqUvAc = br.getFlag() ? br.getSignedValue(4) : 0;
        for (int s = 0; s < NUM_SEGMENTS; s++) {
            int q = useSegment ? segmentQuantizer[s] + (absoluteDelta ? 0 : baseQ) : baseQ;
            y1[s] = new int[]{Vp8Tables.DC_TABLE[clip(q + dqY1Dc, 127)], Vp8Tables.AC_TABLE[clip(q, 127)]};
            // x*155/100 == (x*101581) >> 16 for every AC step
            y2[s] = new int[]{Vp8Tables.DC_TABLE[clip(q + dqY2Dc, 127)] * 2,
                    Math.max(8, (Vp8Tables.AC_TABLE[clip(q + dqY2Ac, 127)] * 101581) >> 16)};
            uv[s] = new int[]{Vp8Tables.DC_TABLE[clip(q + dqUvDc, 117)], Vp8Tables.AC_TABLE[clip(q + dqUvAc, 127)]};
        }
    }

    private static int clip(int v, int max) { return v < 0 ? 0 : Math.min(v, max); }
}
