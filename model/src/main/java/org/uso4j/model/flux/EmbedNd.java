package org.uso4j.model.flux;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;

/**
 * Rotary position tables from 3-axis token ids (flux {@code modules/layers.py EmbedND} + {@code math.py rope}).
 * Per axis a with d_a = axesDim[a]: {@code ω_j = 1/θ^(2j/d_a)}, angle = id_a·ω_j in float64, then
 * {@code [[cos, −sin], [sin, cos]]} cast to float32; axes concatenated along the pair dimension. The backend builds
 * the table ({@link Backend#ropeTable}), so it is made where the blocks run.
 */
public record EmbedNd(int theta, int[] axesDim) {
    public EmbedNd {
        axesDim = axesDim.clone();
    }

    /** ids [B, L, n_axes] → pe [B, 1, L, Σd_a/2, 2, 2]. */
    public Tensor forward(Backend be, Tensor ids) {
        if (ids.rank() != 3 || ids.dim(2) != axesDim.length) {
            throw new IllegalArgumentException("ids must be [B, L, " + axesDim.length + "], got " + ids.shape());
        }
        return be.ropeTable(ids, theta, axesDim);
    }
}
