package org.uso4j.vulkan;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Host ↔ device copies: straight through the mapping where device memory is host-visible, else through a staging
 * buffer and a recorded copy. Counts what crosses, so a run can show (and a test assert) that a step makes none.
 */
public final class Transfers {
    private final VulkanContext ctx;
    private long uploads, downloads, uploadBytes, downloadBytes, constants;

    Transfers(VulkanContext ctx) { this.ctx = ctx; }

    /** A new device buffer holding {@code src}'s bytes. */
    public Buffer upload(MemorySegment src) {
        Buffer b = ctx.heap().allocate(src.byteSize());
        write(b, 0, src);
        return b;
    }

    /** A new device buffer holding {@code values}. */
    public Buffer upload(float[] values) { return upload(MemorySegment.ofArray(values)); }

    /**
     * A constant table an op derives from its parameters alone (RoPE and timestep frequencies), uploaded once per
     * backend and cached by the op like a weight: counted apart ({@link #constants}), not as a tensor transfer.
     */
    public Buffer uploadConstant(float[] values) { return uploadConstant(MemorySegment.ofArray(values)); }

    /** {@link #uploadConstant(float[])} of any bytes. */
    public Buffer uploadConstant(MemorySegment bytes) {
        Buffer b = ctx.heap().allocate(bytes.byteSize());
        long u = uploads, ub = uploadBytes;
        write(b, 0, bytes);
        uploads = u;
        uploadBytes = ub;
        constants++;
        return b;
    }

    /** Writes {@code src} into {@code dst} at {@code offset} (ordered after every op recorded so far). */
    public void write(Buffer dst, long offset, MemorySegment src) {
        long n = src.byteSize();
        check(dst, offset, n);
        uploads++;
        uploadBytes += n;
        if (dst.mapped != null) {
            if (ctx.stream().pending(dst)) ctx.stream().flush();
            MemorySegment.copy(src, 0, dst.mapped, offset, n);
            return;
        }
        Buffer s = ctx.heap().staging(n);
        MemorySegment.copy(src, 0, s.mapped, 0, n);
        ctx.stream().copy(s, 0, dst, offset, n);
        ctx.stream().releaseAfterBatch(s);
    }

    /** Reads {@code dst.byteSize()} bytes of {@code src} at {@code offset}, after every op recorded so far has run. */
    public void read(Buffer src, long offset, MemorySegment dst) {
        long n = dst.byteSize();
        check(src, offset, n);
        downloads++;
        downloadBytes += n;
        if (src.mapped != null) {
            ctx.stream().flush();
            MemorySegment.copy(src.mapped, offset, dst, 0, n);
            return;
        }
        Buffer s = ctx.heap().staging(n);
        try {
            ctx.stream().copy(src, offset, s, 0, n);
            ctx.stream().flush();
            MemorySegment.copy(s.mapped, 0, dst, 0, n);
        } finally {
            ctx.heap().free(s);
        }
    }

    /** The first {@code count} floats of {@code src}. */
    public float[] readFloats(Buffer src, int count) {
        float[] out = new float[count];
        read(src, 0, MemorySegment.ofArray(out));
        return out;
    }

    /** One 32-bit status word (a flag a reduction wrote), read after the recorded work ran; not counted as a transfer. */
    public int readStatus(Buffer src) {
        ctx.stream().flush();
        if (src.mapped != null) return src.mapped.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
        int[] word = new int[1];
        Buffer s = ctx.heap().staging(4);
        try {
            ctx.stream().copy(src, 0, s, 0, 4);
            ctx.stream().flush();
            word[0] = s.mapped.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
        } finally {
            ctx.heap().free(s);
        }
        return word[0];
    }

    private static void check(Buffer b, long offset, long n) {
        if (!b.live) throw new IllegalStateException("transfer with a freed buffer");
        if (offset < 0 || offset + n > b.bytes) throw new IndexOutOfBoundsException(n + " bytes at " + offset + " in " + b);
    }

    public long uploads() { return uploads; }
    public long constants() { return constants; }
    public long downloads() { return downloads; }
    public long uploadBytes() { return uploadBytes; }
    public long downloadBytes() { return downloadBytes; }
}
