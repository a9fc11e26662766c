package org.uso4j.model.clip;

import java.util.List;
import org.uso4j.core.Tensor;

/**
 * What {@code CLIPTextModel(input_ids, attention_mask=None, output_hidden_states=True)} returns.
 *
 * @param lastHiddenState [B, L, D]: final_layer_norm(output of the last layer)
 * @param poolerOutput    [B, D]: lastHiddenState at each row's pooling position (USO's "vec")
 * @param pooledIndex     the pooling position of each row ({@link ClipPooling})
 * @param hiddenStates    L + 1 entries [B, L, D]: 0 = token + position embeddings, i = raw output of layer i-1
 */
public record ClipTextOutput(Tensor lastHiddenState, Tensor poolerOutput, List<Integer> pooledIndex, List<Tensor> hiddenStates) {
    public ClipTextOutput {
        pooledIndex = List.copyOf(pooledIndex);
        hiddenStates = List.copyOf(hiddenStates);
    }
}
