package org.uso4j.vulkan.ops;

import static org.lwjgl.system.MemoryStack.stackPush;

import java.nio.ByteBuffer;
import org.lwjgl.system.MemoryStack;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.Grid;
import org.uso4j.vulkan.Kernel;
import org.uso4j.vulkan.VulkanContext;

/**
 * Scaled dot-product attention and softmax on the device (shaders {@code attention/flash.comp}, {@code attention/softmax.comp}),
 * with {@link org.uso4j.core.backend.ScalarBackend}'s semantics. Activations are dense row-major float32 buffers; every
 * method allocates its output from the context's heap and the caller frees it.
 */
public final class Attention {
    /** Largest head dimension (D and Dv) the flash kernel's shared tiles are sized for. */
    public static final int MAX_HEAD_DIM = 256;
    /** Key tiles one dispatch walks before the rows' state goes to a buffer and the next dispatch goes on (see flash.comp). */
    static final int KEY_TILES_PER_DISPATCH = 32;
    private static final int GROUP = 64;   // flash.comp's WG

    private final VulkanContext ctx;

    public Attention(VulkanContext ctx) { this.ctx = ctx; }

    /**
     * {@code Backend.attention}: {@code softmax(q kᵀ · scale + bias [+ causal mask]) v} with q [B, H, Lq, D], k [B, H, Lk, D],
     * v [B, H, Lk, Dv], bias null or [biasBatch, H, Lq, Lk] with biasBatch 1 (shared by every batch) or B; causal: query
     * row i sees keys 0..i (also when Lq ≠ Lk, as ScalarBackend). Returns [B, H, Lq, Dv]. D, Dv ≤ {@link #MAX_HEAD_DIM}.
     * A row whose every score is -inf gives NaN (as ScalarBackend).
     */
    public Buffer attention(Buffer q, Buffer k, Buffer v, int batch, int heads, int lq, int lk, int d, int dv, float scale,
                            Buffer bias, int biasBatch, boolean causal) {
        String op = "attention";
        Operands.dims(op, "[B, H, Lq, Lk, D, Dv]", batch, heads, lq, lk, d, dv);
        if (d > MAX_HEAD_DIM || dv > MAX_HEAD_DIM) {
            throw new IllegalArgumentException(op + ": head dimensions up to " + MAX_HEAD_DIM + " are supported, got D " + d + ", Dv " + dv);
        }
        long bh = (long) batch * heads;
        Operands.floats(op, "q [B, H, Lq, D]", q, bh * lq * d);
        Operands.floats(op, "k [B, H, Lk, D]", k, bh * lk * d);
        Operands.floats(op, "v [B, H, Lk, Dv]", v, bh * lk * dv);
        if (bias != null) {
            if (biasBatch != 1 && biasBatch != batch) throw new IllegalArgumentException(op + ": bias batch must be 1 or B = " + batch + ", got " + biasBatch);
            Operands.floats(op, "bias [" + biasBatch + ", H, Lq, Lk]", bias, (long) biasBatch * heads * lq * lk);
        }
        Buffer out = Operands.output(ctx, bh * lq * dv);
        if (bh * lq * dv == 0) return out;
        Tiles tiles = Tiles.of(Math.max(d, dv), ctx.info().maxSharedMemory());
        int queryTiles = (lq + tiles.bq() - 1) / tiles.bq();
        if (queryTiles > 65535 || heads > 65535 || batch > 65535) {
            ctx.heap().free(out);
            throw new IllegalArgumentException(op + ": Lq " + lq + ", H " + heads + " or B " + batch + " exceeds one dispatch (65535 groups per dimension)");
        }
        Kernel kernel = ctx.kernel("attention/flash.comp", 6, 48, "HD=" + tiles.hd(), "BQ=" + tiles.bq(), "BK=" + tiles.bk());
        int biasMode = bias == null ? 0 : biasBatch == 1 ? 1 : 2;
        int chunk = KEY_TILES_PER_DISPATCH * tiles.bk();
        int passes = Math.max(1, (lk + chunk - 1) / chunk);
        Buffer state = passes == 1 ? out : ctx.heap().allocate(4L * bh * lq * (tiles.hd() + 2));
        try (MemoryStack stack = stackPush()) {
            for (int pass = 0; pass < passes; pass++) {
                ByteBuffer push = stack.malloc(48).putInt(lq).putInt(lk).putInt(d).putInt(dv).putInt(heads).putInt(biasMode)
                        .putInt(causal ? 1 : 0).putFloat(scale).putInt(pass * chunk).putInt(pass == passes - 1 ? lk : (pass + 1) * chunk)
                        .putInt(pass == 0 ? 1 : 0).putInt(pass == passes - 1 ? 1 : 0).flip();
                ctx.stream().dispatch(kernel, queryTiles, heads, batch, push, q, k, v, bias == null ? q : bias, out, state);
            }
        } finally {
            if (state != out) ctx.heap().free(state);
        }
        return out;
    }

    /** {@code Backend.softmax}: softmax over the last dimension of x viewed as [rows, n] (rows = numel / n). Returns [rows, n]. */
    public Buffer softmax(Buffer x, long rows, int n) {
        if (rows < 0 || n < 0) throw new IllegalArgumentException("softmax: rows and n must be ≥ 0, got " + rows + ", " + n);
        Operands.floats("softmax", "x [rows, n]", x, rows * n);
        Buffer out = Operands.output(ctx, rows * n);
        if (rows * n == 0) return out;
        Kernel kernel = ctx.kernel("attention/softmax.comp", 2, 8);
        Grid g = Grid.of(rows, 1);
        try (MemoryStack stack = stackPush()) {
            ctx.stream().dispatch(kernel, g.x(), g.y(), 1, stack.malloc(8).putInt((int) rows).putInt(n).flip(), x, out);
        }
        return out;
    }

    /**
     * The flash kernel's tile: {@code hd} ≥ max(D, Dv) (a power of two ≥ 32), {@code bq} query rows and {@code bk} keys
     * per step, chosen so that the shared tiles fit the device (at most 29 KiB; smaller where the device offers less).
     */
    record Tiles(int hd, int bq, int bk) {
        static Tiles of(int headDim, int maxSharedBytes) {
            int hd = 32;
            while (hd < headDim) hd *= 2;
            int bq = hd <= 64 ? 32 : hd == 128 ? 16 : 8, bk = hd <= 64 ? 32 : hd == 128 ? 16 : 8;
            while (sharedBytes(hd, bq, bk) > maxSharedBytes && bq * bk > GROUP) {
                if (bk >= bq) bk /= 2; else bq /= 2;
            }
            if (sharedBytes(hd, bq, bk) > maxSharedBytes) {
                throw new IllegalArgumentException("attention: head dimension " + headDim + " needs " + sharedBytes(hd, bq, bk)
                        + " bytes of shared memory, the device offers " + maxSharedBytes);
            }
            return new Tiles(hd, bq, bk);
        }

        /** Shared memory of flash.comp: the query and output tiles, the key/value tile, the scores and three per-row floats. */
        static int sharedBytes(int hd, int bq, int bk) { return 4 * (2 * bq * hd + bk * hd + bq * bk + 3 * bq); }
    }
}
