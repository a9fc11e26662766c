package org.uso4j.model.t5;

import java.util.List;
import org.uso4j.core.Tensor;

/**
 * What {@code T5EncoderModel(input_ids, attention_mask=None, output_hidden_states=True)} returns.
 *
 * @param lastHiddenState [B, L, d_model]: final_layer_norm(output of the last block), what USO uses
 * @param hiddenStates    num_layers + 1 entries [B, L, d_model]: entry i < num_layers is the input of block i
 *                        (0 = the embeddings), the last entry is lastHiddenState itself
 */
public record T5EncoderOutput(Tensor lastHiddenState, List<Tensor> hiddenStates) {
    public T5EncoderOutput {
        hiddenStates = List.copyOf(hiddenStates);
    }
}
