package org.uso4j.pipeline.image.webp;

import java.nio.charset.StandardCharsets;

/**
 * The RIFF layout of a still WebP file (libwebp {@code src/dec/webp_dec.c} {@code ParseRIFF}, {@code ParseVP8X},
 * {@code ParseOptionalChunks}, {@code ParseVP8Header}): either a simple file ({@code RIFF WEBP} + one {@code VP8 }
 * or {@code VP8L} chunk) or an extended one ({@code VP8X} first, optional chunks such as {@code ALPH}, {@code ICCP},
 * {@code EXIF}, then the image chunk). Animated files are refused. Every size is checked against the bytes present.
 *
 * @param lossless     the image chunk is {@code VP8L} (else {@code VP8 })
 * @param frameOffset  start of the image chunk's payload
 * @param frameLength  payload length (within the file)
 * @param canvasWidth  the {@code VP8X} canvas width, or 0 for a simple file
 * @param canvasHeight the {@code VP8X} canvas height, or 0 for a simple file
 * @param hasAlpha     an {@code ALPH} chunk precedes a lossy image (its alpha is not decoded: RGB output only)
 */
record WebpContainer(boolean lossless, int frameOffset, int frameLength, int canvasWidth, int canvasHeight, boolean hasAlpha) {
    private static final int CHUNK_HEADER = 8, RIFF_HEADER = 12, VP8X_SIZE = 10;
    private static final long MAX_CHUNK_PAYLOAD = 0xFFFFFFFFL - CHUNK_HEADER - 1;
    private static final int ANIMATION_FLAG = 0x02;

    /** Whether {@code data} starts like a RIFF WebP file ({@code RIFF????WEBP}). */
    static boolean isRiffWebp(byte[] data) {
        return data.length >= RIFF_HEADER && tag(data, 0).equals("RIFF") && tag(data, 8).equals("WEBP");
    }

    /** Locates the image chunk of a WebP file held entirely in {@code data}. */
    static WebpContainer parse(byte[] data) {
        if (!isRiffWebp(data)) throw new WebpFormatException("not a RIFF WebP file");
        long riffSize = le32(data, 4);
        if (riffSize < 4 + CHUNK_HEADER) throw new WebpFormatException("RIFF size " + riffSize + " is too small");
        if (riffSize > MAX_CHUNK_PAYLOAD) throw new WebpFormatException("RIFF size " + riffSize + " is too large");
        if (riffSize > data.length - CHUNK_HEADER) {
            throw new WebpFormatException("file truncated: RIFF size " + riffSize + " but only " + (data.length - CHUNK_HEADER) + " bytes follow");
        }
        int end = (int) (riffSize + CHUNK_HEADER); // bytes after the RIFF payload are ignored
        int pos = RIFF_HEADER;
        int canvasW = 0, canvasH = 0;
        boolean alpha = false;
        if (end - pos < CHUNK_HEADER) throw new WebpFormatException("file truncated: no chunk after the RIFF header");
        if (tag(data, pos).equals("VP8X")) {
            if (le32(data, pos + 4) != VP8X_SIZE) throw new WebpFormatException("VP8X chunk size " + le32(data, pos + 4) + " (expected 10)");
            if (end - pos < CHUNK_HEADER + VP8X_SIZE) throw new WebpFormatException("file truncated in the VP8X chunk");
            int flags = data[pos + 8] & 0xFF;
            canvasW = 1 + le24(data, pos + 12);
            canvasH = 1 + le24(data, pos + 15);
            if ((long) canvasW * canvasH >= 1L << 32) throw new WebpFormatException("VP8X canvas " + canvasW + "x" + canvasH + " is too large");
            if ((flags & ANIMATION_FLAG) != 0) throw new WebpFormatException("animated WebP is not supported (use a still image)");
            pos += CHUNK_HEADER + VP8X_SIZE;
            long total = 4 + CHUNK_HEADER + VP8X_SIZE;
            while (true) { // optional chunks up to the image chunk
                if (end - pos < CHUNK_HEADER) throw new WebpFormatException("file truncated: no VP8/VP8L image chunk");
                String fourcc = tag(data, pos);
                long size = le32(data, pos + 4);
                if (size > MAX_CHUNK_PAYLOAD) throw new WebpFormatException(fourcc + " chunk size " + size + " is too large");
                long disk = (CHUNK_HEADER + size + 1) & ~1L;
                total += disk;
                if (total > riffSize) throw new WebpFormatException(fourcc + " chunk of " + size + " bytes overruns the RIFF size " + riffSize);
                if (fourcc.equals("VP8 ") || fourcc.equals("VP8L")) break;
                if (fourcc.equals("ANIM") || fourcc.equals("ANMF")) throw new WebpFormatException("animated WebP is not supported (use a still image)");
                if (end - pos < disk) throw new WebpFormatException("file truncated in the " + fourcc + " chunk");
                alpha |= fourcc.equals("ALPH");
                pos += (int) disk;
            }
        }
        String fourcc = tag(data, pos);
        boolean lossless = fourcc.equals("VP8L");
        if (!lossless && !fourcc.equals("VP8 ")) {
            throw new WebpFormatException("expected a VP8, VP8L or VP8X chunk, found '" + printable(fourcc) + "'");
        }
        long size = le32(data, pos + 4);
        if (size > riffSize - (4 + CHUNK_HEADER)) throw new WebpFormatException(fourcc.trim() + " chunk size " + size + " exceeds the RIFF size " + riffSize);
        if (size > end - pos - CHUNK_HEADER) throw new WebpFormatException("file truncated in the " + fourcc.trim() + " chunk");
        return new WebpContainer(lossless, pos + CHUNK_HEADER, (int) size, canvasW, canvasH, alpha && !lossless);
    }

    private static String tag(byte[] d, int o) { return new String(d, o, 4, StandardCharsets.ISO_8859_1); }

    private static String printable(String s) { return s.replaceAll("[^\\x20-\\x7e]", "?"); }

    private static long le32(byte[] d, int o) {
        return (d[o] & 0xFFL) | (d[o + 1] & 0xFFL) << 8 | (d[o + 2] & 0xFFL) << 16 | (d[o + 3] & 0xFFL) << 24;
    }

    private static int le24(byte[] d, int o) { return (d[o] & 0xFF) | (d[o + 1] & 0xFF) << 8 | (d[o + 2] & 0xFF) << 16; }
}
