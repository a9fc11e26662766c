package org.uso4j.model.flux;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.io.WeightStore;
import org.uso4j.model.nn.CancelCheck;
import org.uso4j.model.nn.Linear;
import org.uso4j.model.nn.Weights;

/**
 * The FLUX transformer as USO runs it (bytedance/USO {@code uso/flux/model.py Flux.forward}): image tokens plus any
 * number of content-reference tokens in the image stream, style tokens prepended to the text tokens with zero ids.
 * The style tokens arrive already projected (the official code runs SigLIP + projector inside forward; we do not).
 */
public final class Flux {
    private final FluxConfig cfg;
    private final Linear imgIn;
    private final MlpEmbedder timeIn;
    private final MlpEmbedder vectorIn;
    private final MlpEmbedder guidanceIn; // null without guidance embedding
    private final Linear txtIn;
    private final EmbedNd peEmbedder;
    private final List<DoubleStreamBlock> doubleBlocks = new ArrayList<>();
    private final List<SingleStreamBlock> singleBlocks = new ArrayList<>();
    private final LastLayer finalLayer;

    /** Takes every base FLUX tensor from {@code store} (BFL names) with the shapes {@code cfg} implies. */
    public Flux(WeightStore store, FluxConfig cfg) {
        this.cfg = cfg;
        Weights w = new Weights(store);
        int hidden = cfg.hiddenSize();
        this.imgIn = Linear.load(w.at("img_in"), cfg.inChannels(), hidden, true);
        this.timeIn = new MlpEmbedder(w.at("time_in"), FluxConfig.TIMESTEP_EMBED_DIM, hidden);
        this.vectorIn = new MlpEmbedder(w.at("vector_in"), cfg.vecInDim(), hidden);
        this.guidanceIn = cfg.guidanceEmbed() ? new MlpEmbedder(w.at("guidance_in"), FluxConfig.TIMESTEP_EMBED_DIM, hidden) : null;
        this.txtIn = Linear.load(w.at("txt_in"), cfg.contextInDim(), hidden, true);
        this.peEmbedder = new EmbedNd(cfg.theta(), cfg.axesDim());
        for (int i = 0; i < cfg.depth(); i++) doubleBlocks.add(new DoubleStreamBlock(w.at("double_blocks").at(i), cfg));
        for (int i = 0; i < cfg.depthSingleBlocks(); i++) singleBlocks.add(new SingleStreamBlock(w.at("single_blocks").at(i), cfg));
        this.finalLayer = new LastLayer(w.at("final_layer"), hidden, cfg.inChannels());
    }

    public FluxConfig config() { return cfg; }
    public List<DoubleStreamBlock> doubleBlocks() { return List.copyOf(doubleBlocks); }
    public List<SingleStreamBlock> singleBlocks() { return List.copyOf(singleBlocks); }
    public MlpEmbedder timeIn() { return timeIn; }
    public EmbedNd peEmbedder() { return peEmbedder; }
    public LastLayer finalLayer() { return finalLayer; }

    /** {@code timestep_embedding(t, 256)} with time_factor 1000 and max_period 10000: t [N] → [N, 256]. */
    public static Tensor timestepEmbedding(Backend be, Tensor t) {
        return be.timestepEmbedding(t, FluxConfig.TIMESTEP_EMBED_DIM, 1000f, 10000f);
    }

    /** Velocity for the target tokens: [B, L_img, in_channels]. */
    public Tensor forward(Backend be, FluxInputs in) { return forward(be, in, null); }

    /** As {@link #forward(Backend, FluxInputs)}, reporting intermediates to {@code trace} (name, tensor) when non-null. */
    public Tensor forward(Backend be, FluxInputs in, BiConsumer<String, Tensor> trace) { return forward(be, in, trace, CancelCheck.NONE); }

    /** As {@link #forward(Backend, FluxInputs, BiConsumer)}, polling {@code cancel} before every block. */
    public Tensor forward(Backend be, FluxInputs in, BiConsumer<String, Tensor> trace, CancelCheck cancel) {
        if (in.img().rank() != 3 || in.txt().rank() != 3) {
            throw new IllegalArgumentException("img and txt must have shape [B, L, C]; got " + in.img().shape() + " and " + in.txt().shape());
        }
        BiConsumer<String, Tensor> t = trace == null ? (n, x) -> { } : trace;
        // running on sequences img
        Tensor img = imgIn.forward(be, in.img());
        Tensor vec = timeIn.forward(be, timestepEmbedding(be, in.timesteps()));
        if (guidanceIn != null) {
            if (in.guidance() == null) throw new IllegalArgumentException("this FLUX model needs a guidance value");
            vec = be.add(vec, guidanceIn.forward(be, timestepEmbedding(be, in.guidance())));
        }
        vec = be.add(vec, vectorIn.forward(be, in.y()));
        Tensor txt = txtIn.forward(be, in.txt());
        Tensor txtIds = in.txtIds();
        t.accept("vec", vec);

        // style tokens go first in the text stream, with ids (0, 0, 0)
        if (!in.styleTokens().isEmpty()) {
            if (txt.dim(0) != 1) throw new IllegalArgumentException("style conditioning needs batch 1, got batch " + txt.dim(0));
            List<Tensor> parts = new ArrayList<>(in.styleTokens());
            for (int i = 0; i < parts.size(); i++) t.accept("style_tokens." + i, parts.get(i));
            Tensor style = be.concat(1, parts);
            txt = be.concat(1, List.of(style, txt));
            txtIds = be.concat(1, List.of(be.zeros(1, style.dim(1), txtIds.dim(2)), txtIds));
        }

        List<Tensor> ids = new ArrayList<>(List.of(txtIds, in.imgIds()));
        int imgEnd = img.dim(1);
        if (!in.refImg().isEmpty()) {
            List<Tensor> stream = new ArrayList<>(List.of(img));
            for (Tensor ref : in.refImg()) stream.add(imgIn.forward(be, ref));
            img = be.concat(1, stream);
            ids.addAll(in.refImgIds());
        }
        Tensor allIds = be.concat(1, ids);
        t.accept("pe_embedder.ids", allIds);
        Tensor pe = peEmbedder.forward(be, allIds);
        t.accept("pe", pe);
        t.accept("block_in.img", img);
        t.accept("block_in.txt", txt);

        for (int i = 0; i < doubleBlocks.size(); i++) {
            cancel.check("double block " + i);
            try (Backend.Scope scope = be.scope()) {
                Tensor[] out = doubleBlocks.get(i).forward(be, img, txt, vec, pe);
                img = scope.keep(out[0]);
                txt = scope.keep(out[1]);
            }
            t.accept("double_blocks." + i + ".img_out", img);
            t.accept("double_blocks." + i + ".txt_out", txt);
        }

        img = be.concat(1, List.of(txt, img));
        for (int i = 0; i < singleBlocks.size(); i++) {
            cancel.check("single block " + i);
            try (Backend.Scope scope = be.scope()) {
                img = scope.keep(singleBlocks.get(i).forward(be, img, vec, pe));
            }
            t.accept("single_blocks." + i + ".out", img);
        }
        // keep the target tokens only (text, style and reference tokens dropped)
        img = be.slice(img, 1, txt.dim(1), txt.dim(1) + imgEnd);
        t.accept("final_layer.in", img);
        return finalLayer.forward(be, img, vec);
    }
}
