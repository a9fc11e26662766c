package org.uso4j.vulkan.ops;

import java.lang.foreign.MemorySegment;
import org.uso4j.core.DType;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.Grid;
import org.uso4j.vulkan.Kernel;
import org.uso4j.vulkan.VulkanContext;

/**
 * Embedding lookups on the GPU (shaders/embedding/embedding.comp): rows of a table kept in its stored dtype, decoded
 * bit for bit as core's Dequantize. Each call allocates its output on the context's heap, the caller frees it.
 */
public final class Embedding {
    private static final int LOCAL = 256;
    private final VulkanContext ctx;

    public Embedding(VulkanContext ctx) { this.ctx = ctx; }

    /**
     * {@code Backend.embedding(table, ids)}: rows {@code table[ids[i]]} of table [vocab, dim] ({@code dtype}, any
     * decodable one; dim a whole number of its blocks) → [ids.length, dim] float32. An id outside [0, vocab) is refused
     * here, naming it; the ids are uploaded (one counted transfer).
     */
    public Buffer embedding(Buffer table, DType dtype, int vocab, int dim, long[] ids) {
        int[] narrow = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocab) throw new IllegalArgumentException("embedding: id " + ids[i] + " outside the table of " + vocab + " rows");
            narrow[i] = (int) ids[i];
        }
        Buffer idBuffer = ctx.transfers().upload(MemorySegment.ofArray(narrow));
        try {
            return embedding(table, dtype, vocab, dim, idBuffer, ids.length);
        } finally {
            ctx.heap().free(idBuffer); // the pool hands it out again only after the recorded lookup has read it
        }
    }

    /**
     * {@code Backend.embedding} with the ids already on the device: {@code ids} holds {@code count} int32 row numbers;
     * an id outside [0, vocab) gives a row of NaN (the device cannot throw). → [count, dim] float32.
     */
    public Buffer embedding(Buffer table, DType dtype, int vocab, int dim, Buffer ids, int count) {
        if (vocab < 1 || dim < 1 || count < 0) throw new IllegalArgumentException("embedding: table [" + vocab + ", " + dim + "] and " + count + " ids");
        Launch.sizes("embedding", vocab, dim);
        Launch.sizes("embedding", count, dim);
        String def = WeightTypes.define(dtype, "embedding table");
        WeightTypes.requireWholeBlocks(dtype, dim, "embedding table [" + vocab + ", " + dim + "]");
        Launch.require(table, WeightTypes.bytes(dtype, (long) vocab * dim), "embedding table " + dtype + " [" + vocab + ", " + dim + "]");
        Launch.require(ids, 4L * count, "embedding ids [" + count + "]");
        Buffer out = ctx.heap().allocate(4L * count * dim);
        if (count == 0) return out;
        Kernel k = Launch.kernel(ctx, "embedding/embedding.comp", 3, 3, def);
        Grid g = Grid.of((long) count * dim, LOCAL);
        Launch.dispatch(ctx, k, g.x(), g.y(), 1, new int[] {count, dim, vocab}, ids, table, out);
        return out;
    }
}
