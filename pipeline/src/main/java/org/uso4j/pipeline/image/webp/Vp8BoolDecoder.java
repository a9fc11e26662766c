package org.uso4j.pipeline.image.webp;

/**
 * The VP8 boolean (arithmetic) decoder over one partition {@code data[start, end)}, with libwebp's exact state
 * machine ({@code src/utils/bit_reader_utils.c}, {@code bit_reader_inl_utils.h}): {@code range} is kept minus one,
 * {@code bits} counts the buffered bits beyond the 8-bit window. Reading past the end appends one zero byte and
 * sets {@link #eof()}; further reads stop shifting. The caller checks {@code eof()} where libwebp does (a set flag
 * there means the partition was truncated), so a corrupt partition never reads out of bounds nor loops.
 */
final class Vp8BoolDecoder {
    private final byte[] data;
    private final int end;
    private int pos;
    private long value;
    private int range = 255 - 1;
    private int bits = -8;
    private boolean eof;

    Vp8BoolDecoder(byte[] data, int start, int end) {
        if (start < 0 || end < start || end > data.length) {
            throw new IllegalArgumentException("partition [" + start + ", " + end + ") outside " + data.length + " bytes");
        }
        this.data = data;
        this.pos = start;
        this.end = end;
        loadNewBytes();
    }

    /** Whether a read went past the end of the partition. */
    boolean eof() { return eof; }

    private void loadNewBytes() {
        if (pos < end) {
            bits += 8;
            value = (data[pos++] & 0xFF) | (value << 8);
        } else if (!eof) {
            value <<= 8;
            bits += 8;
            eof = true;
        } else {
            bits = 0; // libwebp: avoids undefined shifts; decoding goes on but the result is discarded
        }
    }

    /** One bit whose probability of being 0 is {@code prob / 256} (libwebp {@code VP8GetBit}). */
    int getBit(int prob) {
        int r = range;
        if (bits < 0) loadNewBytes();
        int split = (r * prob) >>> 8;
        int v = (int) (value >>> bits);
        int bit;
        if (v > split) {
            r -= split;
            value -= (long) (split + 1) << bits;
            bit = 1;
        } else {
            r = split + 1;
            bit = 0;
        }
        int shift = 7 ^ (31 - Integer.numberOfLeadingZeros(r));
        r <<= shift;
        bits -= shift;
        range = r - 1;
        return bit;
    }

    /** {@code v} with a sign read at probability 1/2, libwebp's {@code VP8GetSigned} (its own state update). */
    int getSigned(int v) {
        if (bits < 0) loadNewBytes();
        int pos = bits;
        int split = range >>> 1;
        int val = (int) (value >>> pos);
        int mask = (split - val) >> 31; // -1 when val > split
        bits -= 1;
        range += mask;
        range |= 1;
        value -= (long) ((split + 1) & mask) << pos;
        return (v ^ mask) - mask;
    }

    /** An unsigned {@code n}-bit literal, most significant bit first ({@code VP8GetValue}). */
    int getValue(int n) {
        int v = 0;
        while (n-- > 0) v |= getBit(0x80) << n;
        return v;
    }

    /** One flag bit at probability 1/2 ({@code VP8Get}). */
    boolean getFlag() { return getValue(1) != 0; }

    /** An {@code n}-bit magnitude followed by a sign bit ({@code VP8GetSignedValue}). */
    int getSignedValue(int n) {
        int v = getValue(n);
        return getFlag() ? -v : v;
    }
}
