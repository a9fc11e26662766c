package org.uso4j.pipeline.generate;

import org.uso4j.core.Tensor;

/**
 * A cheap RGB preview of a FLUX latent without the VAE: a fixed linear map of the 16 latent channels to RGB per
 * latent pixel (1/8 of the image size). The 16×3 factors and bias are ComfyUI's published Flux
 * {@code latent_rgb_factors} ({@code comfy/latent_formats.py}), used as data.
 */
public final class LatentPreview {
    private static final float[][] FACTORS = {
            {-0.0346f, 0.0244f, 0.0681f}, {0.0034f, 0.0210f, 0.0687f}, {0.0275f, -0.0668f, -0.0433f}, {-0.0174f, 0.0160f, 0.0617f},
            {0.0859f, 0.0721f, 0.0329f}, {0.0004f, 0.0383f, 0.0115f}, {0.0405f, 0.0861f, 0.0915f}, {-0.0236f, -0.0185f, -0.0259f},
            {-0.0245f, 0.0250f, 0.1180f}, {0.1008f, 0.0755f, -0.0421f}, {-0.0515f, 0.0201f, 0.0011f}, {0.0428f, -0.0012f, -0.0036f},
            {0.0817f, 0.0765f, 0.0749f}, {-0.1264f, -0.0522f, -0.1103f}, {-0.0280f, -0.0881f, -0.0499f}, {-0.1262f, -0.0982f, -0.0778f}};
    private static final float[] BIAS = {-0.0329f, -0.0718f, -0.0851f};

    private LatentPreview() {}

    /** latent [1, 16, h, w] (diffusion space) → an h×w RGB preview. */
    public static Progress.Preview of(Tensor latent) {
        if (latent.rank() != 4 || latent.dim(1) != FACTORS.length) {
            throw new IllegalArgumentException("preview needs a [1, 16, h, w] latent, got " + latent.shape());
        }
        int h = latent.dim(2), w = latent.dim(3), plane = h * w;
        float[] z = latent.toF32().floats();
        byte[] rgb = new byte[plane * 3];
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                float v = BIAS[c];
                for (int k = 0; k < FACTORS.length; k++) v += FACTORS[k][c] * z[k * plane + p];
                rgb[p * 3 + c] = (byte) Math.round(Math.clamp((v + 1f) * 127.5f, 0f, 255f));
            }
        }
        return new Progress.Preview(w, h, rgb);
    }
}
