package org.uso4j.pipeline.verify;

import java.lang.foreign.ValueLayout;
import org.uso4j.core.DType;
import org.uso4j.core.Tensor;
import org.uso4j.pipeline.image.RgbImage;

/** Image ↔ tensor glue for the image golden cases: uint8 pixels compared as [H, W, 3] values. */
final class PixelComparison {
    private PixelComparison() {}

    /** Compares two images value by value ({@code atol} 0: exact); a size mismatch fails with both sizes. */
    static void compare(VerifyReport report, String output, RgbImage actual, RgbImage expected, double atol) {
        report.compare(output, hwc(actual), hwc(expected), atol);
    }

    /** The image as a float32 [H, W, 3] tensor of byte values. */
    static Tensor hwc(RgbImage image) {
        byte[] rgb = image.rgb();
        float[] v = new float[rgb.length];
        for (int i = 0; i < v.length; i++) v[i] = rgb[i] & 0xFF;
        return Tensor.wrap(v, image.height(), image.width(), 3);
    }

    /** A U8 [H, W, 3] golden tensor as an image. */
    static RgbImage fromHwcU8(Tensor t, String name) {
        if (t.dtype() != DType.U8 || t.rank() != 3 || t.dim(2) != 3) {
            throw new IllegalArgumentException(name + ": expected U8 [H, W, 3], got " + t);
        }
        return new RgbImage(t.dim(1), t.dim(0), t.segment().toArray(ValueLayout.JAVA_BYTE));
    }
}
