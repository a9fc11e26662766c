package org.uso4j.model.vae;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;

/**
 * Port of flux {@code autoencoder.py DiagonalGaussian} (chunk_dim 1): moments [B, 2·Z, h, w] → mean [B, Z, h, w]
 * or a sample {@code mean + exp(0.5·logvar)·eps}. The reference draws eps with {@code torch.randn_like} from the
 * global RNG; here it is passed in (null = the deterministic {@code sample=False} path). As the reference, logvar
 * is not clamped.
 */
public final class DiagonalGaussian {
    private DiagonalGaussian() {}

    /** {@code mean, logvar = chunk(z, 2, dim=1)}; returns mean, or {@code mean + exp(0.5·logvar)·eps} when eps is given. */
    public static Tensor forward(Backend be, Tensor z, Tensor eps) {
        if (z.rank() < 2 || z.dim(1) % 2 != 0) throw new IllegalArgumentException("DiagonalGaussian: moments must be [B, 2·Z, ...], got " + z.shape());
        int zc = z.dim(1) / 2;
        Tensor mean = be.slice(z, 1, 0, zc);
        if (eps == null) return mean;
        if (!eps.shape().equals(mean.shape())) {
            throw new IllegalArgumentException("DiagonalGaussian: eps " + eps.shape() + " must have the mean's shape " + mean.shape());
        }
        Tensor logvar = be.slice(z, 1, zc, 2 * zc);
        // std = torch.exp(0.5 * logvar); x = mean + std * torch.randn_like(mean)
        return be.gaussianSample(mean, logvar, eps);
    }
}
