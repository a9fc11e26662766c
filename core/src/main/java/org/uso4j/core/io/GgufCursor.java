package org.uso4j.core.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A bounds-checked little-endian reader over a mapped GGUF header. Every read first checks that the bytes are
 * inside the file, so a truncated or hostile header fails with a message naming the field instead of reading
 * outside the mapping; lengths are checked against the bytes left before anything is allocated.
 */
final class GgufCursor {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final MemorySegment seg;
    private long pos;

    GgufCursor(Path path, MemorySegment seg) {
        this.path = path;
        this.seg = seg;
    }

    Path path() { return path; }

    long position() { return pos; }

    long remaining() { return seg.byteSize() - pos; }

    /** Fails unless {@code n} more bytes are in the file. */
    void need(long n, String what) {
        if (n < 0 || n > remaining()) {
            throw GgufFile.bad(path, "truncated: " + what + " needs " + (n < 0 ? Long.toUnsignedString(n) : n) + " bytes at offset " + pos
                    + " but the file has " + remaining() + " left");
        }
    }

    byte i8(String what) { need(1, what); return seg.get(ValueLayout.JAVA_BYTE, pos++); }

    short i16(String what) { need(2, what); short v = seg.get(I16, pos); pos += 2; return v; }

    int i32(String what) { need(4, what); int v = seg.get(I32, pos); pos += 4; return v; }

    long u64(String what) { need(8, what); long v = seg.get(I64, pos); pos += 8; return v; }

    /** Raw bytes, length already known to be sane (checked against the file here). */
    byte[] bytes(long n, String what) {
        need(n, what);
        byte[] b = seg.asSlice(pos, n).toArray(ValueLayout.JAVA_BYTE);
        pos += n;
        return b;
    }

    /** A gguf_string: u64 length, then that many bytes of UTF-8. Invalid UTF-8 is replaced unless {@code strict}. */
    String string(String what, boolean strict) {
        long len = u64(what + " length");
        if (len < 0 || len > remaining()) {
            throw GgufFile.bad(path, what + " has length " + Long.toUnsignedString(len) + " beyond the end of the file (" + remaining() + " bytes left at offset " + pos + ")");
        }
        byte[] b = bytes(len, what);
        if (!strict) return new String(b, StandardCharsets.UTF_8);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw GgufFile.bad(path, what + " is not valid UTF-8");
        }
    }

    /** Names and keys must be valid UTF-8. */
    String string(String what) { return string(what, true); }
}
