package org.uso4j.model.tokenizers;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Minimal protobuf wire-format reader (varint, 32/64-bit, length-delimited), enough for sentencepiece's
 * {@code ModelProto}. Every read is bounds-checked; a malformed message raises an error naming {@code source}.
 */
final class ProtoReader {
    static final int VARINT = 0, I64 = 1, LEN = 2, I32 = 5;

    private final byte[] buf;
    private final int end;
    private final String source;
    private int pos;
    private int tag;

    ProtoReader(byte[] buf, int start, int end, String source) {
        if (start < 0 || end > buf.length || start > end) throw new IllegalArgumentException("bad range");
        this.buf = buf;
        this.pos = start;
        this.end = end;
        this.source = source;
    }

    /** Advances to the next field; false at the end of the message. */
    boolean next() {
        if (pos >= end) return false;
        long t = varint();
        if (t >>> 32 != 0 || (t >>> 3) == 0) throw error("bad field tag " + t);
        tag = (int) t;
        return true;
    }

    int field() { return tag >>> 3; }
    int wireType() { return tag & 7; }

    long varint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) throw error("truncated varint");
            byte b = buf[pos++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) return v;
        }
        throw error("varint longer than 10 bytes");
    }

    int int32() { expect(VARINT); return (int) varint(); }
    boolean bool() { expect(VARINT); return varint() != 0; }

    float float32() {
        expect(I32);
        need(4);
        float f = ByteBuffer.wrap(buf, pos, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        pos += 4;
        return f;
    }

    /** The bytes of a length-delimited field, as a sub-reader range {@code [start, end)}. */
    int[] lengthDelimited() {
        expect(LEN);
        long n = varint();
        if (n < 0 || n > end - pos) throw error("length " + n + " runs past the end of the message");
        int s = pos;
        pos += (int) n;
        return new int[]{s, pos};
    }

    ProtoReader message() {
        int[] r = lengthDelimited();
        return new ProtoReader(buf, r[0], r[1], source);
    }

    String string() {
        int[] r = lengthDelimited();
        return new String(buf, r[0], r[1] - r[0], StandardCharsets.UTF_8);
    }

    byte[] bytes() {
        int[] r = lengthDelimited();
        return java.util.Arrays.copyOfRange(buf, r[0], r[1]);
    }

    /** Skips the current field's value, whatever its wire type. */
    void skip() {
        switch (wireType()) {
            case VARINT -> varint();
            case I64 -> { need(8); pos += 8; }
            case LEN -> lengthDelimited();
            case I32 -> { need(4); pos += 4; }
            default -> throw error("unsupported wire type " + wireType() + " (field " + field() + ")");
        }
    }

    private void expect(int wire) {
        if (wireType() != wire) throw error("field " + field() + " has wire type " + wireType() + ", expected " + wire);
    }

    private void need(int n) {
        if (end - pos < n) throw error("truncated field " + field());
    }

    private RuntimeException error(String what) {
        return new org.uso4j.core.io.CheckpointException(source + ": malformed protobuf at byte " + pos + ": " + what);
    }
}
