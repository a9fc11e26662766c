package org.uso4j.bench;

import java.util.SplittableRandom;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.io.WeightStore;
import org.uso4j.model.flux.Flux;
import org.uso4j.model.flux.FluxConfig;
import org.uso4j.model.flux.LastLayer;
import org.uso4j.model.flux.MlpEmbedder;
import org.uso4j.model.nn.Linear;
import org.uso4j.model.nn.Weights;

/**
 * Everything of a FLUX step outside the blocks (flux {@code Flux.forward}): img_in on target + reference tokens,
 * txt_in on the T5 tokens, the time / guidance / vector embedders and the final layer on the target tokens.
 * Random weights in the benchmark's format.
 */
final class StepRest {
    private final Linear imgIn, txtIn;
    private final MlpEmbedder timeIn, guidanceIn, vectorIn;
    private final LastLayer finalLayer;
    private final Tensor img, txt, y, t, g;
    private final int imageTokens;

    StepRest(FluxConfig cfg, UsoTokens tok, WeightFormat format, long seed) {
        WeightStore store = RandomWeights.store(format, seed);
        Weights w = new Weights(store);
        int c = cfg.hiddenSize();
        imgIn = Linear.load(w.at("img_in"), cfg.inChannels(), c, true);
        txtIn = Linear.load(w.at("txt_in"), cfg.contextInDim(), c, true);
        timeIn = new MlpEmbedder(w.at("time_in"), FluxConfig.TIMESTEP_EMBED_DIM, c);
        guidanceIn = new MlpEmbedder(w.at("guidance_in"), FluxConfig.TIMESTEP_EMBED_DIM, c);
        vectorIn = new MlpEmbedder(w.at("vector_in"), cfg.vecInDim(), c);
        finalLayer = new LastLayer(w.at("final_layer"), c, cfg.inChannels());
        store.requireAllUsed("FLUX step rest");
        SplittableRandom r = new SplittableRandom(seed);
        img = BlockBench.random(r, 1, tok.img(), cfg.inChannels());
        txt = BlockBench.random(r, 1, tok.t5Tokens(), cfg.contextInDim());
        y = BlockBench.random(r, 1, cfg.vecInDim());
        t = Tensor.wrap(new float[]{0.5f}, 1);
        g = Tensor.wrap(new float[]{4f}, 1);
        imageTokens = tok.imageTokens();
    }

    /** The same operations as Flux.forward outside its block loops; returns the velocity [1, image tokens, 64]. */
    Tensor forward(Backend be) {
        Tensor x = imgIn.forward(be, img);
        Tensor vec = timeIn.forward(be, Flux.timestepEmbedding(be, t));
        vec = be.add(vec, guidanceIn.forward(be, Flux.timestepEmbedding(be, g)));
        vec = be.add(vec, vectorIn.forward(be, y));
        txtIn.forward(be, txt);
        return finalLayer.forward(be, be.slice(x, 1, 0, imageTokens), vec);
    }
}
