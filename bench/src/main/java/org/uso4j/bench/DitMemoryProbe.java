package org.uso4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.Checkpoints;
import org.uso4j.core.io.WeightStore;
import org.uso4j.model.flux.EmbedNd;
import org.uso4j.model.flux.Flux;
import org.uso4j.model.flux.FluxConfig;
import org.uso4j.model.flux.FluxInputs;
import org.uso4j.model.flux.FluxLayout;
import org.uso4j.pipeline.sampling.Latents;
import org.uso4j.pipeline.sampling.PositionEmbedding;

/**
 * Memory of the FLUX transformer with its weights memory-mapped from a real-size file (GGUF or safetensors, any
 * dtype): loads it as {@code uso4j generate} does, then either runs one whole forward at the token counts of a USO
 * run ({@code full}), or, much faster, (1) one forward with a handful of tokens, which touches every weight page,
 * and (2) the first double and single block at the full token counts, whose activations are the largest live set
 * of a step. Reports resident memory after each phase, split into mapped file pages and anonymous memory.
 */
public final class DitMemoryProbe {
    private DitMemoryProbe() {}

    /** Runs the probe, prints each phase to {@code log} and writes JSON to {@code json} when not null. */
    public static ObjectNode run(Path fluxFile, int size, int refSize, boolean full, CpuBackend be, PrintStream log, Path json)
            throws java.io.IOException {
        ObjectNode j = run(fluxFile, UsoTokens.square(size, refSize), size, refSize, full, be, log);
        log.printf("peak RSS %.2f GiB%n", j.get("peak_rss_bytes").asLong() / (double) (1L << 30));
        if (json != null) new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), j);
        return j;
    }

    static ObjectNode run(Path fluxFile, UsoTokens tok, int size, int refSize, boolean full, CpuBackend be, PrintStream log) {
        ObjectNode j = new ObjectMapper().createObjectNode();
        j.put("flux_file", fluxFile.toString());
        try {
            j.put("flux_file_bytes", Files.size(fluxFile));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(fluxFile + ": cannot read its size: " + e.getMessage(), e);
        }
        j.put("size", size);
        j.put("tokens_total", tok.total());
        put(j, "start", ProcessMemory.now(), log);
        try (Checkpoint ckpt = Checkpoints.open(fluxFile)) {
            WeightStore store = FluxLayout.toStore(ckpt);
            FluxConfig cfg = FluxConfig.fromWeights(store, null);
            Flux flux = new Flux(store, cfg);
            store.requireAllUsed("FLUX");
            log.println("  " + store.summary("FLUX"));
            put(j, "loaded", ProcessMemory.now(), log);
            SplittableRandom r = new SplittableRandom(3);
            long t0 = System.nanoTime();
            if (full) {
                flux.forward(be, inputs(be, cfg, tok.t5Tokens(), tok.styleTokens() > 0, size, refSize, r));
                j.put("full_forward_s", (System.nanoTime() - t0) / 1e9);
                put(j, "after_full_forward", ProcessMemory.now(), log);
            } else {
                // 8 text tokens, a 32x32 image (4 tokens), no reference: every weight is read, activations are tiny
                flux.forward(be, inputs(be, cfg, 8, false, 32, 0, r));
                j.put("touch_forward_s", (System.nanoTime() - t0) / 1e9);
                put(j, "after_touch_forward", ProcessMemory.now(), log);
                int c = cfg.hiddenSize();
                Tensor img = BlockBench.random(r, 1, tok.img(), c), txt = BlockBench.random(r, 1, tok.txt(), c);
                Tensor vec = BlockBench.random(r, 1, c);
                Tensor pe = new EmbedNd(cfg.theta(), cfg.axesDim()).forward(be, BlockBench.ids(tok, size, refSize));
                long t1 = System.nanoTime();
                Tensor[] out = flux.doubleBlocks().get(0).forward(be, img, txt, vec, pe);
                flux.singleBlocks().get(0).forward(be, be.concat(1, List.of(out[1], out[0])), vec, pe);
                j.put("blocks_at_full_tokens_s", (System.nanoTime() - t1) / 1e9);
                put(j, "after_blocks_at_full_tokens", ProcessMemory.now(), log);
            }
        }
        j.put("peak_rss_bytes", ProcessMemory.now().peakBytes());
        j.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        return j;
    }

    private static void put(ObjectNode j, String phase, ProcessMemory m, PrintStream log) {
        ObjectNode o = j.putObject(phase);
        o.put("rss_bytes", m.rssBytes());
        o.put("rss_anon_bytes", m.anonBytes());
        o.put("rss_file_bytes", m.fileBytes());
        o.put("peak_rss_bytes", m.peakBytes());
        log.printf("  %-28s %s%n", phase, m);
    }

    /** USO-shaped inputs: random latents packed with ids (one content reference), T5 features, style tokens. */
    private static FluxInputs inputs(CpuBackend be, FluxConfig cfg, int t5, boolean style, int size, int refSize, SplittableRandom r) {
        int lat = size / 8, refLat = refSize / 8;
        List<Tensor> refs = refSize > 0 ? List.of(BlockBench.random(r, 1, 16, refLat, refLat)) : List.of();
        Latents.Prepared p = Latents.prepareMultiIp(be, BlockBench.random(r, 1, 16, lat, lat), refs, PositionEmbedding.D);
        List<Tensor> styleTokens = style ? List.of(BlockBench.random(r, 1, UsoTokens.STYLE_TOKENS_PER_IMAGE, cfg.hiddenSize())) : List.of();
        return new FluxInputs(p.img(), p.imgIds(), BlockBench.random(r, 1, t5, cfg.contextInDim()), Latents.txtIds(be, 1, t5),
                Tensor.wrap(new float[]{0.9f}, 1), BlockBench.random(r, 1, cfg.vecInDim()), Tensor.wrap(new float[]{4f}, 1),
                p.refImg(), p.refImgIds(), styleTokens);
    }
}
