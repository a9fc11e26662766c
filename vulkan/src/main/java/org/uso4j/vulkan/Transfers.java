package org.uso4j.vulkan;

import java.lang.foreign.MemorySegment;

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
        check(b, 0, bytes.byteSize());
        copyIn(b, 0, bytes);
        constants++;
        return b;
    }

    /** Writes {@code src} into {@code dst} at {@code offset} (ordered after every op recorded so far). */
    public void write(Buffer dst, long offset, MemorySegment src) {
        check(dst, offset, src.byteSize());
        uploads++;
        uploadBytes += src.byteSize();
        copyIn(dst, offset, src);
    }

    /** Reads {@code dst.byteSize()} bytes of {@code src} at {@code offset}, after every op recorded so far has run. */
    public void read(Buffer src, long offset, MemorySegment dst) {
        check(src, offset, dst.byteSize());
        downloads++;
        downloadBytes += dst.byteSize();
        copyOut(src, offset, dst);
    }

    /** The first {@code count} floats of {@code src}. */
    public float[] readFloats(Buffer src, int count) {
        float[] out = new float[count];
        read(src, 0, MemorySegment.ofArray(out));
        return out;
    }

    /** One 32-bit status word (a flag a reduction wrote), read after the recorded work ran; not counted as a transfer. */
    public int readStatus(Buffer src) {
        check(src, 0, 4);
        int[] word = new int[1];
        copyOut(src, 0, MemorySegment.ofArray(word));
        return word[0];
    }

    /** Host → device, uncounted: through the mapping (after pending work that binds dst), else a staging copy. */
    private void copyIn(Buffer dst, long offset, MemorySegment src) {
        long n = src.byteSize();
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

    /** Device → host, uncounted, after every op recorded so far has run. */
    private void copyOut(Buffer src, long offset, MemorySegment dst) {
        long n = dst.byteSize();
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
