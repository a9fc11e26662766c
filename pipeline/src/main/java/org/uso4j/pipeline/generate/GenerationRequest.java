package org.uso4j.pipeline.generate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.uso4j.pipeline.image.ReferencePreprocess;
import org.uso4j.pipeline.image.RgbImage;
import org.uso4j.pipeline.sampling.PositionEmbedding;

/**
 * One generation, validated at construction (the edge where user input enters). Modes follow from what is given:
 * no images = text-to-image; content images = subject/identity; style images = style (several = multi-style);
 * both = style-subject, and with an empty prompt the layout-preserved mode.
 *
 * @param prompt          text prompt (may be empty)
 * @param contentImages   content references, in order (official: the first image path)
 * @param styleImages     style references, in order (official: the remaining image paths)
 * @param width           requested width in pixels; generation uses {@code 16·(width/16)} (the official flooring)
 * @param height          requested height, floored likewise
 * @param numSteps        Euler steps
 * @param guidance        FLUX distilled guidance
 * @param seed            noise seed (CPU torch.randn-compatible)
 * @param pe              reference position-id mode (d, h, w, o)
 * @param contentLongSide long side of the preprocessed content image (official {@code --content_ref})
 * @param loraWeight      scale of the USO LoRA branch (official {@code lora_weight})
 * @param posterior       how content latents are drawn from the VAE posterior
 * @param posteriorSeed   base seed of the posterior noise (content image k uses base + k); null = derived from
 *                        {@code seed} (see {@link #effectivePosteriorSeed()})
 */
public record GenerationRequest(String prompt, List<RgbImage> contentImages, List<RgbImage> styleImages, int width, int height,
                                int numSteps, float guidance, long seed, PositionEmbedding pe, int contentLongSide, float loraWeight,
                                Posterior posterior, Long posteriorSeed) implements java.io.Serializable {

    /** Largest accepted side: FLUX is trained up to ~2 MP; beyond 4096 px a run would need hundreds of GB. */
    public static final int MAX_SIDE = 4096;
    public static final int MAX_STEPS = 1000;
    /** The seed that asks for a random one (as in stable-diffusion.cpp's {@code -s -1} and the official demo). */
    public static final long RANDOM_SEED = -1;

    /** The VAE posterior sampling of content latents. */
    public enum Posterior {
        /** mean + std·ε with ε drawn from a generator seeded by the run's seed (reproducible; the official code uses unseeded noise). */
        SAMPLE,
        /** the posterior mean (deterministic, no noise). */
        MEAN
    }

    public GenerationRequest {
        if (prompt == null) throw new IllegalArgumentException("prompt: must not be null (use \"\" for none)");
        contentImages = List.copyOf(contentImages == null ? List.of() : contentImages);
        styleImages = List.copyOf(styleImages == null ? List.of() : styleImages);
        if (width < 16 || height < 16) {
            throw new IllegalArgumentException("width/height: must be at least 16 pixels, got " + width + "x" + height);
        }
        if (width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("width/height: at most " + MAX_SIDE + " pixels, got " + width + "x" + height);
        }
        if (numSteps < 1 || numSteps > MAX_STEPS) throw new IllegalArgumentException("num_steps: must be 1.." + MAX_STEPS + ", got " + numSteps);
        if (!Float.isFinite(guidance) || guidance < 0 || guidance > 100) throw new IllegalArgumentException("guidance: must be in [0, 100], got " + guidance);
        if (pe == null) throw new IllegalArgumentException("pe: must be one of d, h, w, o");
        if (contentLongSide < 16 || contentLongSide > MAX_SIDE) {
            throw new IllegalArgumentException("content_ref: long side must be 16.." + MAX_SIDE + ", got " + contentLongSide);
        }
        if (!Float.isFinite(loraWeight) || Math.abs(loraWeight) > 10) throw new IllegalArgumentException("lora_weight: must be in [-10, 10], got " + loraWeight);
        for (int k = 0; k < contentImages.size(); k++) {
            RgbImage c = contentImages.get(k);
            try {
                ReferencePreprocess.requireCroppable(c.width(), c.height(), contentLongSide);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("content_images[" + k + "]: " + e.getMessage(), e);
            }
        }
        if (posterior == null) posterior = Posterior.SAMPLE;
    }

    /** Defaults of the official {@code inference.py}: 1024², 25 steps, guidance 4, seed 3407, pe d, content_ref 512, LoRA 1. */
    public static Builder builder(String prompt) { return new Builder(prompt); }

    /** {@code seed} itself, or a fresh random seed in [0, 2³²) for {@link #RANDOM_SEED}; other negative seeds are refused. */
    public static long resolveSeed(long seed) {
        if (seed == RANDOM_SEED) return java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 32);
        if (seed < 0) throw new IllegalArgumentException("seed: must be >= 0, or -1 for a random seed; got " + seed);
        return seed;
    }

    /** Width actually generated: {@code 16·(width/16)}. */
    public int effectiveWidth() { return 16 * (width / 16); }

    public int effectiveHeight() { return 16 * (height / 16); }

    /** A short name of the mode, for logs and metadata. */
    public String mode() {
        boolean c = !contentImages.isEmpty(), s = !styleImages.isEmpty();
        if (c && s) return prompt.isBlank() ? "layout-preserved" : "style-subject";
        if (c) return contentImages.size() > 1 ? "multi-subject" : "subject";
        if (s) return styleImages.size() > 1 ? "multi-style" : "style";
        return "text-to-image";
    }

    /** The settings as a flat map (PNG metadata, sidecars, HTTP answers). */
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prompt", prompt);
        m.put("mode", mode());
        m.put("width", width);
        m.put("height", height);
        m.put("num_steps", numSteps);
        m.put("guidance", guidance);
        m.put("seed", seed);
        m.put("pe", pe.code());
        m.put("content_ref", contentLongSide);
        m.put("lora_weight", loraWeight);
        m.put("posterior", posterior.name().toLowerCase(java.util.Locale.ROOT));
        if (posterior == Posterior.SAMPLE) m.put("posterior_seed", effectivePosteriorSeed());
        m.put("content_images", contentImages.size());
        m.put("style_images", styleImages.size());
        return m;
    }

    public GenerationRequest withSeed(long newSeed) {
        return new GenerationRequest(prompt, contentImages, styleImages, width, height, numSteps, guidance, newSeed, pe,
                contentLongSide, loraWeight, posterior, posteriorSeed);
    }

    /**
     * Base seed of the content images' posterior noise: the given one, else {@code seed + 1_000_003}, so it never
     * shares a stream with the initial noise of this or a neighbouring seed. Content image k draws
     * {@code torch.randn(mean.shape)} from a generator seeded with base + k (the official code uses the unseeded
     * global RNG; the golden data used {@code torch.manual_seed(2025 + k)}, i.e. base 2025).
     */
    public long effectivePosteriorSeed() { return posteriorSeed != null ? posteriorSeed : seed + 1_000_003L; }

    /** Fluent construction with the official defaults. */
    public static final class Builder {
        private final String prompt;
        private final List<RgbImage> content = new ArrayList<>(), style = new ArrayList<>();
        private int width = 1024, height = 1024, numSteps = 25, contentLongSide = 512;
        private float guidance = 4f, loraWeight = 1f;
        private long seed = 3407;
        private PositionEmbedding pe = PositionEmbedding.D;
        private Posterior posterior = Posterior.SAMPLE;
        private Long posteriorSeed;

        private Builder(String prompt) { this.prompt = prompt; }

        public Builder content(RgbImage image) { content.add(image); return this; }
        public Builder style(RgbImage image) { style.add(image); return this; }
        public Builder size(int w, int h) { width = w; height = h; return this; }
        public Builder steps(int n) { numSteps = n; return this; }
        public Builder guidance(float g) { guidance = g; return this; }
        public Builder seed(long s) { seed = s; return this; }
        public Builder pe(PositionEmbedding p) { pe = p; return this; }
        public Builder contentLongSide(int n) { contentLongSide = n; return this; }
        public Builder loraWeight(float w) { loraWeight = w; return this; }
        public Builder posterior(Posterior p) { posterior = p; return this; }
        public Builder posteriorSeed(Long s) { posteriorSeed = s; return this; }

        public GenerationRequest build() {
            return new GenerationRequest(prompt, content, style, width, height, numSteps, guidance, seed, pe, contentLongSide, loraWeight, posterior, posteriorSeed);
        }
    }
}
