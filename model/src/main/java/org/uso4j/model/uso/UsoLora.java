package org.uso4j.model.uso;

import java.util.ArrayList;
import java.util.List;
import org.uso4j.core.Tensor;
import org.uso4j.core.io.CheckpointException;
import org.uso4j.core.io.WeightStore;
import org.uso4j.model.flux.DoubleStreamBlock;
import org.uso4j.model.flux.Flux;
import org.uso4j.model.flux.FluxConfig;
import org.uso4j.model.flux.SingleStreamBlock;
import org.uso4j.model.nn.Linear;
import org.uso4j.model.nn.LowRank;
import org.uso4j.model.nn.Weights;

/**
 * USO's LoRA ({@code dit_lora.safetensors}, keys of the official processors): per double block
 * {@code processor.{qkv_lora1, proj_lora1}} on the image stream and {@code {qkv_lora2, proj_lora2}} on the text
 * stream; per single block {@code processor.qkv_lora} on the q/k/v part of {@code linear1} and
 * {@code processor.proj_lora} on {@code linear2}. Each is {@code up(down(x))} without alpha, scaled by the user's
 * {@code lora_weight}, added as a low-rank term inside the Linear it belongs to. The rank is read from the file.
 */
public final class UsoLora {
    private record Term(Linear target, Tensor down, Tensor up) {}

    private final List<Term> terms = new ArrayList<>();
    private final int rank;

    /** Takes every LoRA tensor for {@code flux} from {@code store} (canonical USO names) and checks their shapes. */
    public UsoLora(WeightStore store, Flux flux) { this(store, flux, rankOf(store)); }

    /** The rank as stored: dimension 0 of any {@code down} weight. */
    static int rankOf(WeightStore store) {
        return store.shapeOf("double_blocks.0.processor.qkv_lora1.down.weight")
                .or(() -> store.shapeOf("single_blocks.0.processor.qkv_lora.down.weight"))
                .orElseThrow(() -> new CheckpointException("not a USO LoRA: no 'double_blocks.0.processor.qkv_lora1.down.weight'"))
                .dim(0);
    }

    /** With a known rank (e.g. to build a new LoRA from a generated store). */
    public UsoLora(WeightStore store, Flux flux, int rank) {
        FluxConfig cfg = flux.config();
        int h = cfg.hiddenSize();
        this.rank = rank;
        Weights w = new Weights(store);
        for (int i = 0; i < cfg.depth(); i++) {
            Weights p = w.at("double_blocks").at(i).at("processor");
            DoubleStreamBlock b = flux.doubleBlocks().get(i);
            add(p.at("qkv_lora1"), b.imgAttn().qkv(), h, 3 * h);
            add(p.at("proj_lora1"), b.imgAttn().proj(), h, h);
            add(p.at("qkv_lora2"), b.txtAttn().qkv(), h, 3 * h);
            add(p.at("proj_lora2"), b.txtAttn().proj(), h, h);
        }
        for (int i = 0; i < cfg.depthSingleBlocks(); i++) {
            Weights p = w.at("single_blocks").at(i).at("processor");
            SingleStreamBlock b = flux.singleBlocks().get(i);
            add(p.at("qkv_lora"), b.linear1Qkv(), h, 3 * h);
            // proj_lora reads cat(attn, mlp): hidden + mlp_hidden features (the official class hard-codes 15360)
            add(p.at("proj_lora"), b.linear2(), h + cfg.mlpHidden(), h);
        }
    }

    private void add(Weights w, Linear target, int in, int out) {
        terms.add(new Term(target, w.at("down").take("weight", rank, in), w.at("up").take("weight", out, rank)));
    }

    public int rank() { return rank; }

    /** Attaches the LoRA to its Linears with {@code weight} (the official {@code lora_weight}), replacing any earlier one. */
    public void attach(float weight) {
        for (Term t : terms) t.target().clearLora();
        for (Term t : terms) t.target().addLora(new LowRank(t.down(), t.up(), weight));
    }
}
