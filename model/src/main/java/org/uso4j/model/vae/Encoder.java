package org.uso4j.model.vae;

import java.util.ArrayList;
import java.util.List;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.CancelCheck;
import org.uso4j.model.nn.Weights;

/**
 * Port of flux {@code autoencoder.py Encoder}: image [B, in_channels, H, W] → moments [B, 2·z_channels, H/f, W/f]
 * (mean then logvar along channels; f = 2^(levels - 1)). Keys under {@code encoder.}: {@code conv_in},
 * {@code down.{i}.block.{j}}, {@code down.{i}.downsample.conv} (all levels but the last), {@code mid.{block_1,
 * attn_1, block_2}}, {@code norm_out}, {@code conv_out}.
 */
public final class Encoder {
    /** One resolution level ({@code down[i]}): its ResnetBlocks, then a Downsample except at the last level. */
    private record Level(List<ResnetBlock> block, Downsample downsample) {}

    private final AutoEncoderParams params;
    private final Conv2d convIn;
    private final List<Level> down = new ArrayList<>();
    private final ResnetBlock midBlock1;
    private final AttnBlock midAttn1;
    private final ResnetBlock midBlock2;
    private final GroupNorm normOut;
    private final Conv2d convOut;

    public Encoder(Weights w, AutoEncoderParams p) {
        this.params = p;
        int ch = p.ch();
        // downsampling
        this.convIn = Conv2d.same(w.at("conv_in"), p.inChannels(), ch, 3);

        int blockIn = ch;
        for (int iLevel = 0; iLevel < p.levels(); iLevel++) {
            List<ResnetBlock> block = new ArrayList<>();
            blockIn = iLevel == 0 ? ch : p.width(iLevel - 1); // ch * in_ch_mult[i_level], in_ch_mult = (1,) + ch_mult
            int blockOut = p.width(iLevel);
            Weights level = w.at("down").at(iLevel);
            for (int j = 0; j < p.numResBlocks(); j++) {
                block.add(new ResnetBlock(level.at("block").at(j), blockIn, blockOut));
                blockIn = blockOut;
            }
            Downsample downsample = iLevel != p.levels() - 1 ? new Downsample(level.at("downsample"), blockIn) : null;
            down.add(new Level(List.copyOf(block), downsample));
        }

        // middle
        Weights mid = w.at("mid");
        this.midBlock1 = new ResnetBlock(mid.at("block_1"), blockIn, blockIn);
        this.midAttn1 = new AttnBlock(mid.at("attn_1"), blockIn);
        this.midBlock2 = new ResnetBlock(mid.at("block_2"), blockIn, blockIn);

        // end
        this.normOut = GroupNorm.load(w.at("norm_out"), blockIn);
        this.convOut = Conv2d.same(w.at("conv_out"), blockIn, 2 * p.zChannels(), 3);
    }

    /** x [B, in_channels, H, W] (values in [-1, 1]) → moments [B, 2·z_channels, H/f, W/f]. */
    public Tensor forward(Backend be, Tensor x) { return forward(be, x, CancelCheck.NONE); }

    /** As {@link #forward(Backend, Tensor)}, polling {@code cancel} before every block. */
    public Tensor forward(Backend be, Tensor x, CancelCheck cancel) {
        if (x.rank() != 4 || x.dim(1) != params.inChannels()) {
            throw new IllegalArgumentException("Encoder: input must be [B, " + params.inChannels() + ", H, W], got " + x.shape());
        }
        // downsampling (the reference keeps every level's output in hs; only the last one is read)
        Tensor h = convIn.forward(be, x);
        for (Level level : down) {
            for (ResnetBlock block : level.block()) {
                cancel.check("VAE encoder");
                h = block.forward(be, h);
            }
            cancel.check("VAE encoder");
            if (level.downsample() != null) h = level.downsample().forward(be, h);
        }

        // middle
        cancel.check("VAE encoder middle");
        h = midBlock1.forward(be, h);
        h = midAttn1.forward(be, h);
        h = midBlock2.forward(be, h);
        // end
        h = normOut.forwardSwish(be, h);
        h = convOut.forward(be, h);
        return h;
    }
}
