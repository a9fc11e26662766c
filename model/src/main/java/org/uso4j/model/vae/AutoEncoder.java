package org.uso4j.model.vae;

import java.util.function.UnaryOperator;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.WeightStore;
import org.uso4j.model.nn.CancelCheck;
import org.uso4j.model.nn.Weights;

/**
 * The FLUX VAE, port of black-forest-labs/flux {@code src/flux/modules/autoencoder.py AutoEncoder}:
 * {@code encode = scale·(reg(encoder(x)) − shift)}, {@code decode = decoder(z/scale + shift)}. Keys
 * {@code encoder.*}, {@code decoder.*} as the official {@code ae.safetensors}; loaded strictly.
 */
public final class AutoEncoder {
    private final AutoEncoderParams params;
    private final Encoder encoder;
    private final Decoder decoder;
    private final String summary;

    private AutoEncoder(AutoEncoderParams params, Encoder encoder, Decoder decoder, String summary) {
        this.params = params;
        this.encoder = encoder;
        this.decoder = decoder;
        this.summary = summary;
    }

    /** Takes every tensor of the network from {@code store}; fails on a missing, misshapen or unused tensor. */
    public static AutoEncoder load(WeightStore store, AutoEncoderParams params) {
        Weights w = new Weights(store);
        Encoder encoder = new Encoder(w.at("encoder"), params);
        Decoder decoder = new Decoder(w.at("decoder"), params);
        store.requireAllUsed("AutoEncoder");
        return new AutoEncoder(params, encoder, decoder, store.summary("AutoEncoder"));
    }

    /** An {@code ae.safetensors}: parameters inferred from its shapes and metadata ({@link AutoEncoderParams#infer}). */
    public static AutoEncoder load(Checkpoint ckpt) { return load(ckpt, UnaryOperator.identity()); }

    /** As {@link #load(Checkpoint)}, every weight adopted by {@code be} once. */
    public static AutoEncoder load(Checkpoint ckpt, Backend be) { return load(ckpt, be::adopt); }

    private static AutoEncoder load(Checkpoint ckpt, UnaryOperator<Tensor> adopter) {
        WeightStore store = new WeightStore().addAll(ckpt).adoptWith(adopter);
        return load(store, AutoEncoderParams.infer(store, ckpt.metadata()));
    }

    public AutoEncoderParams params() { return params; }
    public Encoder encoder() { return encoder; }
    public Decoder decoder() { return decoder; }

    /** One line: tensors, bytes, dtypes, files. */
    public String summary() { return summary; }

    /** {@code encoder(x)}: image [B, 3, H, W] in [-1, 1] → moments [B, 2·z_channels, H/8, W/8] (mean, logvar). */
    public Tensor moments(Backend be, Tensor x) { return encoder.forward(be, x, CancelCheck.NONE); }

    /** {@link #moments(Backend, Tensor)}, polling {@code cancel} between the encoder's blocks. */
    public Tensor moments(Backend be, Tensor x, CancelCheck cancel) { return encoder.forward(be, x, cancel); }

    /** {@code encode(x)} with {@code reg.sample = False}: the deterministic latent {@code scale·(mean − shift)}. */
    public Tensor encode(Backend be, Tensor x) { return encode(be, x, null); }

    /** {@code encode(x)} with the posterior noise {@code eps} [B, z_channels, H/8, W/8] (null: the mean). */
    public Tensor encode(Backend be, Tensor x, Tensor eps) { return latent(be, moments(be, x), eps); }

    /** The second half of {@code encode}: {@code scale·(reg(moments) − shift)}, eps as in {@link #encode(Backend, Tensor, Tensor)}. */
    public Tensor latent(Backend be, Tensor moments, Tensor eps) {
        Tensor z = DiagonalGaussian.forward(be, moments, eps);
        return be.scale(offset(be, z, -params.shiftFactor()), params.scaleFactor());
    }

    /** {@code decode(z) = decoder(z/scale + shift)}: latent [B, z_channels, h, w] → image [B, 3, 8h, 8w], about [-1, 1]. */
    public Tensor decode(Backend be, Tensor z) { return decode(be, z, CancelCheck.NONE); }

    /** {@link #decode(Backend, Tensor)}, polling {@code cancel} between the decoder's blocks. */
    public Tensor decode(Backend be, Tensor z, CancelCheck cancel) {
        z = offset(be, be.scale(z, 1f / params.scaleFactor()), params.shiftFactor());
        return decoder.forward(be, z, cancel);
    }

    /** {@code x + c} for a scalar c: x viewed as [N, 1] plus a [1] tensor (broadcast as a suffix). */
    private static Tensor offset(Backend be, Tensor x, float c) {
        return be.add(x.reshape(-1, 1), Tensor.wrap(new float[]{c}, 1)).reshape(x.dims());
    }
}
