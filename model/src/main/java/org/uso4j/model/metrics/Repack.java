package org.uso4j.model.metrics;

import java.util.List;
import org.uso4j.core.Tensor;

/**
 * Load-time re-layouts used by the name tables of foreign checkpoint layouts (Hugging Face), where a tensor of
 * the canonical layout is not a plain rename: separate q/k/v projections packed into one [3W, ...] tensor, and
 * Linear weights [out, in] stored as matmul operands [in, out]. Results are float32 (exact for every float
 * dtype); only the few translated tensors are copied.
 */
public final class Repack {
    private Repack() {}

    /** Concatenation along the first dimension; every part has the same trailing dimensions. */
    public static Tensor concatRows(List<Tensor> parts) {
        int[] dims = parts.getFirst().dims();
        long rows = 0, rowSize = parts.getFirst().numel() / Math.max(1, dims.length == 0 ? 1 : dims[0]);
        for (Tensor p : parts) {
            int[] d = p.dims();
            if (d.length != dims.length || d.length == 0) throw new IllegalArgumentException("cannot stack " + p.shape() + " on " + parts.getFirst().shape());
            for (int i = 1; i < d.length; i++) {
                if (d[i] != dims[i]) throw new IllegalArgumentException("cannot stack " + p.shape() + " on " + parts.getFirst().shape());
            }
            rows += d[0];
        }
        float[] out = new float[Math.toIntExact(rows * rowSize)];
        int at = 0;
        for (Tensor p : parts) {
            float[] src = p.toF32().floats();
            System.arraycopy(src, 0, out, at, src.length);
            at += src.length;
        }
        int[] outDims = dims.clone();
        outDims[0] = Math.toIntExact(rows);
        return Tensor.wrap(out, outDims);
    }

    /** A 2-D tensor [r, c] transposed to [c, r]. */
    public static Tensor transpose(Tensor t) {
        if (t.rank() != 2) throw new IllegalArgumentException("transpose needs a 2-D tensor, got " + t.shape());
        int r = t.dim(0), c = t.dim(1);
        float[] src = t.toF32().floats(), out = new float[src.length];
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++) out[j * r + i] = src[i * c + j];
        return Tensor.wrap(out, c, r);
    }
}
