package org.uso4j.pipeline.sampling;

import java.util.ArrayList;
import java.util.List;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;

/**
 * Latent packing and token ids ({@code uso/flux/sampling.py}): 2×2 patches of the 16-channel latent become tokens
 * ({@code "b c (h ph) (w pw) -> b (h w) (c ph pw)"}), target ids are (0, row, col), reference ids are offset by
 * running (h, w) shifts starting at the target's packed size (prepare_multi_ip).
 */
public final class Latents {
    private Latents() {}

    /** Packed target + references and their ids, as prepare_multi_ip returns them. */
    public record Prepared(Tensor img, Tensor imgIds, List<Tensor> refImg, List<Tensor> refImgIds) {}

    /** latent [B, C, H, W] (H, W even) → [B, (H/2)(W/2), 4C]. */
    public static Tensor pack(Backend be, Tensor latent) {
        int b = latent.dim(0), c = latent.dim(1), h = latent.dim(2), w = latent.dim(3);
        if (h % 2 != 0 || w % 2 != 0) throw new IllegalArgumentException("latent height and width must be even, got " + latent.shape());
        Tensor x = be.permute(latent.toF32().reshape(b, c, h / 2, 2, w / 2, 2), 0, 2, 4, 1, 3, 5); // [B, h, w, C, 2, 2]
        return x.reshape(b, (h / 2) * (w / 2), c * 4);
    }

    /** {@code unpack(x, height, width)}: [B, L, 4C] → [B, C, 2·ceil(height/16), 2·ceil(width/16)]. */
    public static Tensor unpack(Backend be, Tensor x, int height, int width) {
        int h = ceilDiv(height, 16), w = ceilDiv(width, 16), b = x.dim(0), c = x.dim(2) / 4;
        if (x.dim(1) != h * w) throw new IllegalArgumentException("cannot unpack " + x.shape() + " to " + height + "x" + width + " pixels");
        Tensor y = be.permute(x.reshape(b, h, w, c, 2, 2), 0, 3, 1, 4, 2, 5); // [B, C, h, 2, w, 2]
        return y.reshape(b, c, 2 * h, 2 * w);
    }

    /** ids [B, rows·cols, 3] = (0, r + rowOffset, c + colOffset). */
    public static Tensor ids(int batch, int rows, int cols, int rowOffset, int colOffset) {
        float[] ids = new float[batch * rows * cols * 3];
        for (int n = 0; n < batch; n++)
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++) {
                    int o = ((n * rows + r) * cols + c) * 3;
                    ids[o + 1] = r + rowOffset;
                    ids[o + 2] = c + colOffset;
                }
        return Tensor.wrap(ids, batch, rows * cols, 3);
    }

    /** Zero text ids [B, L, 3], made where {@code be} computes. */
    public static Tensor txtIds(Backend be, int batch, int length) { return be.zeros(batch, length, 3); }

    /**
     * prepare_multi_ip: img latent [B, C, H, W] and reference latents [1 or B, C, h_k, w_k] → packed tokens and ids.
     * Reference k's ids are offset by (H/2 + Σ_{j<k} h_j/2, W/2 + Σ_{j<k} w_j/2), each axis only where pe says.
     * The ids are made on the host and moved to the backend once.
     */
    public static Prepared prepareMultiIp(Backend be, Tensor img, List<Tensor> refs, PositionEmbedding pe) {
        int b = img.dim(0), h = img.dim(2), w = img.dim(3);
        Tensor packed = pack(be, img);
        Tensor imgIds = be.toDevice(ids(b, h / 2, w / 2, 0, 0));
        List<Tensor> refImg = new ArrayList<>(), refIds = new ArrayList<>();
        int shiftH = h / 2, shiftW = w / 2;
        for (Tensor ref : refs) {
            int rh = ref.dim(2), rw = ref.dim(3);
            Tensor r = pack(be, ref);
            if (r.dim(0) == 1 && b > 1) r = be.concat(0, java.util.Collections.nCopies(b, r));
            refImg.add(r);
            refIds.add(be.toDevice(ids(b, rh / 2, rw / 2, pe.shiftRows() ? shiftH : 0, pe.shiftCols() ? shiftW : 0)));
            shiftH += rh / 2;
            shiftW += rw / 2;
        }
        return new Prepared(packed, imgIds, refImg, refIds);
    }

    static int ceilDiv(int a, int b) { return (a + b - 1) / b; }
}
