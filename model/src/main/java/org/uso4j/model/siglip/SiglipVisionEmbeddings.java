package org.uso4j.model.siglip;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.Weights;

/**
 * transformers {@code SiglipVisionEmbeddings}: a patch convolution (kernel = stride = patch, "valid" padding, so
 * pixels beyond {@code grid · patch} are ignored: 384 = 27·14 + 6) flattened row-major over the patch grid, plus
 * one learned position vector per patch (no CLS token, no interpolation).
 */
final class SiglipVisionEmbeddings {
    private static final int[] VALID = {0, 0, 0, 0};

    private final SiglipVisionConfig config;
    private final Tensor patchWeight;       // [D, C, P, P]
    private final Tensor patchBias;         // [D]
    private final Tensor positionEmbedding; // [N, D]

    private SiglipVisionEmbeddings(SiglipVisionConfig config, Tensor patchWeight, Tensor patchBias, Tensor positionEmbedding) {
        this.config = config;
        this.patchWeight = patchWeight;
        this.patchBias = patchBias;
        this.positionEmbedding = positionEmbedding;
    }

    static SiglipVisionEmbeddings load(Weights w, SiglipVisionConfig c) {
        int d = c.hiddenSize(), p = c.patchSize();
        Weights patch = w.at("patch_embedding");
        return new SiglipVisionEmbeddings(c,
                patch.take("weight", d, c.numChannels(), p, p),
                patch.take("bias", d),
                w.at("position_embedding").take("weight", c.numPatches(), d));
    }

    /** pixel_values [B, C, S, S] → [B, N, D] (hidden_states[0]). */
    Tensor forward(Backend be, Tensor pixelValues) {
        int b = pixelValues.dim(0), d = config.hiddenSize(), n = config.numPatches();
        Tensor patches = be.conv2d(pixelValues, patchWeight, patchBias, config.patchSize(), VALID); // [B, D, g, g]
        Tensor embeddings = be.permute(patches.reshape(b, d, n), 0, 2, 1);                       // [B, N, D]
        return be.add(embeddings, positionEmbedding);
    }
}
