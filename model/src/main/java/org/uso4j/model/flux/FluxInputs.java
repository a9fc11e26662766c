package org.uso4j.model.flux;

import java.util.List;
import org.uso4j.core.Tensor;

/**
 * The arguments of {@code Flux.forward}, as the official signature names them.
 *
 * @param img         packed noisy latent tokens [B, L_img, in_channels]
 * @param imgIds      their position ids [B, L_img, 3]
 * @param txt         T5 features [B, L_txt, context_in_dim]
 * @param txtIds      text ids [B, L_txt, 3] (zeros)
 * @param timesteps   t ∈ [0, 1] per sample [B]
 * @param y           pooled CLIP vector [B, vec_in_dim]
 * @param guidance    distilled guidance per sample [B] (null when the model has no guidance embedder)
 * @param refImg      packed content-reference latents, each [B, L_ref, in_channels]
 * @param refImgIds   their ids, each [B, L_ref, 3]
 * @param styleTokens projected style tokens, one [1, 3·S, hidden] per style image (batch 1 only), in image order
 */
public record FluxInputs(Tensor img, Tensor imgIds, Tensor txt, Tensor txtIds, Tensor timesteps, Tensor y, Tensor guidance,
                         List<Tensor> refImg, List<Tensor> refImgIds, List<Tensor> styleTokens) {
    public FluxInputs {
        refImg = List.copyOf(refImg);
        refImgIds = List.copyOf(refImgIds);
        styleTokens = List.copyOf(styleTokens);
        if (refImg.size() != refImgIds.size()) {
            throw new IllegalArgumentException(refImg.size() + " reference latents but " + refImgIds.size() + " id tensors");
        }
    }
}
