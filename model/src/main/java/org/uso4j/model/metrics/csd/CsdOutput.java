package org.uso4j.model.metrics.csd;

import org.uso4j.core.Tensor;

/**
 * {@code feature, content, style = CSD_CLIP(image)}, in the reference's order.
 *
 * @param feature [B, width] backbone output (ln_post of the class token)
 * @param content [B, dim] normalize(feature @ last_layer_content)
 * @param style   [B, dim] normalize(feature @ last_layer_style): the CSD style descriptor
 */
public record CsdOutput(Tensor feature, Tensor content, Tensor style) {}
