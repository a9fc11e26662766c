package org.uso4j.model.metrics.dino;

import org.uso4j.core.Tensor;

/**
 * What {@link DinoModel#forward} computes.
 *
 * @param cls [B, D] norm(x)[:, 0]: the DINO feature
 * @param pos [1, 1+gh*gw, D] the position table that was added ({@code interpolate_pos_encoding})
 */
public record DinoOutput(Tensor cls, Tensor pos) {}
