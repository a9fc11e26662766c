package org.uso4j.core.backend.cpu;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.core.backend.Layout;

/**
 * Multithreaded data movement for {@link CpuBackend}. Head splits and merges ({@code "B L (K H D) -> K B H L D"} and
 * back) keep the last dimension in place: each output row is then one {@code arraycopy} of a contiguous input run,
 * instead of {@link Layout#permute}'s element-by-element walk. Scalar twin: {@link Layout#permute}.
 */
public final class Copies {
    private Copies() {}

    /** Rows copied per work item (about 64k floats at head dim 128). */
    private static final int ROWS_PER_ITEM = 512;

    public static Tensor permute(Workers workers, Tensor x, int[] order) {
        int rank = x.rank();
        if (rank < 2 || order.length != rank || order[rank - 1] != rank - 1 || !isPermutation(order)) {
            return Layout.permute(x, order); // validates and reports bad orders; general case
        }
        int[] in = x.dims(), out = new int[rank], srcStride = new int[rank], inStride = new int[rank];
        for (int i = rank - 1, s = 1; i >= 0; i--) { inStride[i] = s; s *= in[i]; }
        for (int i = 0; i < rank; i++) {
            out[i] = in[order[i]];
            srcStride[i] = inStride[order[i]];
        }
        int run = in[rank - 1];
        float[] src = x.toF32().floats(), dst = new float[src.length];
        if (run == 0 || src.length == 0) return Tensor.wrap(dst, out);
        int rows = src.length / run;
        workers.forEach(Workers.chunks(rows, ROWS_PER_ITEM), (long) src.length > 1 << 16, (worker, item) -> {
            int r0 = item * ROWS_PER_ITEM, r1 = Math.min(rows, r0 + ROWS_PER_ITEM);
            for (int r = r0; r < r1; r++) {
                int rem = r, base = 0;
                for (int i = rank - 2; i >= 0; i--) {
                    base += (rem % out[i]) * srcStride[i];
                    rem /= out[i];
                }
                System.arraycopy(src, base, dst, r * run, run);
            }
        });
        return Tensor.wrap(dst, out);
    }

    private static boolean isPermutation(int[] order) {
        boolean[] seen = new boolean[order.length];
        for (int o : order) {
            if (o < 0 || o >= order.length || seen[o]) return false;
            seen[o] = true;
        }
        return true;
    }
}
