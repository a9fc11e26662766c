package org.uso4j.core;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Row-wise (dimension 0) views and concatenations of stored tensors of any dtype, for layout translation (e.g.
 * diffusers' split q/k/v back into FLUX's fused qkv). Works on the stored bytes: nothing is decoded to float32.
 */
public final class RowBlocks {
    private RowBlocks() {}

    /** Rows {@code [from, to)} of {@code t} as a zero-copy view. */
    public static Tensor rows(Tensor t, int from, int to) {
        if (t.rank() < 1 || from < 0 || to > t.dim(0) || from > to) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") out of range for " + t.shape());
        }
        long rowBytes = t.segment().byteSize() / Math.max(1, t.dim(0));
        int[] dims = t.dims();
        dims[0] = to - from;
        return Tensor.of(t.dtype(), Shape.of(dims), t.segment().asSlice(from * rowBytes, (to - from) * rowBytes));
    }

    /** Concatenation along dimension 0 into a new heap tensor of the same dtype. */
    public static Tensor concat(List<Tensor> parts) {
        Tensor first = parts.get(0);
        int rows = 0;
        long bytes = 0;
        for (Tensor p : parts) {
            if (p.dtype() != first.dtype() || p.rank() != first.rank()) {
                throw new IllegalArgumentException("cannot concatenate " + p + " with " + first);
            }
            for (int i = 1; i < p.rank(); i++) {
                if (p.dim(i) != first.dim(i)) throw new IllegalArgumentException("cannot concatenate " + p + " with " + first);
            }
            rows += p.dim(0);
            bytes += p.segment().byteSize();
        }
        MemorySegment out = first.dtype() == DType.F32
                ? MemorySegment.ofArray(new float[Math.toIntExact(bytes / 4)])
                : MemorySegment.ofArray(new byte[Math.toIntExact(bytes)]);
        long off = 0;
        for (Tensor p : parts) {
            MemorySegment.copy(p.segment(), 0, out, off, p.segment().byteSize());
            off += p.segment().byteSize();
        }
        int[] dims = first.dims();
        dims[0] = rows;
        return Tensor.of(first.dtype(), Shape.of(dims), out);
    }
}
