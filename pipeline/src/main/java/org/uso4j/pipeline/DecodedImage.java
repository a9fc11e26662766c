package org.uso4j.pipeline;

import java.lang.foreign.MemorySegment;
import org.uso4j.core.DType;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;

/**
 * The 8-bit RGB image the pipeline makes of a VAE decode: {@code x1 = decoded.clamp(-1, 1)},
 * {@code rearrange(x1[-1], "c h w -> h w c")}, {@code (127.5·(x1 + 1)).byte()} (bytedance/USO pipeline.py;
 * the cast <b>truncates</b>, it does not round). {@code rgb} is [height, width, 3], row-major.
 */
public record DecodedImage(int height, int width, byte[] rgb) {
    public DecodedImage {
        if (height <= 0 || width <= 0 || rgb.length != height * width * 3) {
            throw new IllegalArgumentException("DecodedImage: " + rgb.length + " bytes for " + height + "×" + width + " RGB");
        }
    }

    /** The last image of a decoded batch [B, 3, H, W] (values about [-1, 1]) as uint8 HWC. */
    public static DecodedImage of(Tensor decoded) {
        if (decoded.rank() != 4 || decoded.dim(1) != 3) {
            throw new IllegalArgumentException("DecodedImage: expected a decoded batch [B, 3, H, W], got " + decoded.shape());
        }
        int b = decoded.dim(0), h = decoded.dim(2), w = decoded.dim(3), plane = h * w;
        float[] x = decoded.toF32().floats();
        int base = (b - 1) * 3 * plane; // x1[-1]
        byte[] rgb = new byte[plane * 3];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                float x1 = Math.min(1f, Math.max(-1f, x[base + c * plane + i]));
                rgb[i * 3 + c] = (byte) (int) (127.5f * (x1 + 1.0f)); // .byte(): truncation, 0..255
            }
        }
        return new DecodedImage(h, w, rgb);
    }

    /** The pixels as a U8 tensor [height, width, 3] (a copy). */
    public Tensor toTensor() {
        return Tensor.of(DType.U8, Shape.of(height, width, 3), MemorySegment.ofArray(rgb.clone()));
    }
}
