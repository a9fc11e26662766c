package org.uso4j.model.siglip;

import java.util.List;
import org.uso4j.core.Tensor;

/**
 * What {@code SiglipVisionModel(pixel_values, output_hidden_states=True)} returns.
 *
 * @param lastHiddenState [B, N, D]: post_layernorm(output of the last layer)
 * @param poolerOutput    [B, D] from the attention-pooling head, or null when the checkpoint has no head
 * @param hiddenStates    L + 1 entries [B, N, D]: 0 = embeddings, i = raw output of layer i-1 (no post_layernorm)
 */
public record SiglipVisionOutput(Tensor lastHiddenState, Tensor poolerOutput, List<Tensor> hiddenStates) {
    public SiglipVisionOutput {
        hiddenStates = List.copyOf(hiddenStates);
    }

    /**
     * {@code hidden_states[index]} with Python indexing: negative counts from the end, so USO's {@code [-2]} is
     * the output of the second-to-last layer.
     */
    public Tensor hiddenState(int index) {
        int n = hiddenStates.size(), i = index < 0 ? n + index : index;
        if (i < 0 || i >= n) throw new IndexOutOfBoundsException("hidden_states[" + index + "] of " + n + " entries");
        return hiddenStates.get(i);
    }
}
