package org.uso4j.model.vae;

import java.util.ArrayList;
import java.util.List;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.CancelCheck;
import org.uso4j.model.nn.Weights;

/**
 * Port of flux {@code autoencoder.py Decoder}: latent [B, z_channels, h, w] → image [B, out_ch, h·f, w·f].
 * Keys under {@code decoder.}: {@code conv_in}, {@code mid.{block_1, attn_1, block_2}}, {@code up.{i}.block.{j}}
 * (num_res_blocks + 1 per level), {@code up.{i}.upsample.conv} (all levels but 0), {@code norm_out},
 * {@code conv_out}. {@code up.{i}} is level i: up.0 is full resolution and runs last.
 */
public final class Decoder {
    /** One resolution level ({@code up[i]}): its ResnetBlocks, then an Upsample except at level 0. */
    private record Level(List<ResnetBlock> block, Upsample upsample) {}

    private final AutoEncoderParams params;
    private final Conv2d convIn;
    private final ResnetBlock midBlock1;
    private final AttnBlock midAttn1;
    private final ResnetBlock midBlock2;
    private final Level[] up; // indexed by level
    private final GroupNorm normOut;
    private final Conv2d convOut;

    public Decoder(Weights w, AutoEncoderParams p) {
        this.params = p;
        int levels = p.levels();
        // block_in at the lowest resolution
        int blockIn = p.width(levels - 1);

        // z to block_in
        this.convIn = Conv2d.same(w.at("conv_in"), p.zChannels(), blockIn, 3);

        // middle
        Weights mid = w.at("mid");
        this.midBlock1 = new ResnetBlock(mid.at("block_1"), blockIn, blockIn);
        this.midAttn1 = new AttnBlock(mid.at("attn_1"), blockIn);
        this.midBlock2 = new ResnetBlock(mid.at("block_2"), blockIn, blockIn);

        // upsampling
        this.up = new Level[levels];
        for (int iLevel = levels - 1; iLevel >= 0; iLevel--) {
            List<ResnetBlock> block = new ArrayList<>();
            int blockOut = p.width(iLevel);
            Weights level = w.at("up").at(iLevel);
            for (int j = 0; j < p.numResBlocks() + 1; j++) {
                block.add(new ResnetBlock(level.at("block").at(j), blockIn, blockOut));
                blockIn = blockOut;
            }
            Upsample upsample = iLevel != 0 ? new Upsample(level.at("upsample"), blockIn) : null;
            up[iLevel] = new Level(List.copyOf(block), upsample); // prepend to get consistent order
        }

        // end
        this.normOut = GroupNorm.load(w.at("norm_out"), blockIn);
        this.convOut = Conv2d.same(w.at("conv_out"), blockIn, p.outCh(), 3);
    }

    /** z [B, z_channels, h, w] (already unscaled: z/scale + shift) → [B, out_ch, h·f, w·f]. */
    public Tensor forward(Backend be, Tensor z) { return forward(be, z, CancelCheck.NONE); }

    /** As {@link #forward(Backend, Tensor)}, polling {@code cancel} before every block. */
    public Tensor forward(Backend be, Tensor z, CancelCheck cancel) {
        if (z.rank() != 4 || z.dim(1) != params.zChannels()) {
            throw new IllegalArgumentException("Decoder: latent must be [B, " + params.zChannels() + ", h, w], got " + z.shape());
        }
        // z to block_in
        Tensor h = convIn.forward(be, z);

        // middle
        cancel.check("VAE decoder middle");
        h = midBlock1.forward(be, h);
        h = midAttn1.forward(be, h);
        h = midBlock2.forward(be, h);

        // upsampling
        for (int iLevel = params.levels() - 1; iLevel >= 0; iLevel--) {
            for (ResnetBlock block : up[iLevel].block()) {
                cancel.check("VAE decoder level " + iLevel);
                h = block.forward(be, h);
            }
            cancel.check("VAE decoder level " + iLevel);
            if (up[iLevel].upsample() != null) h = up[iLevel].upsample().forward(be, h);
        }
        cancel.check("VAE decoder output");

        // end
        h = normOut.forwardSwish(be, h);
        h = convOut.forward(be, h);
        return h;
    }
}
