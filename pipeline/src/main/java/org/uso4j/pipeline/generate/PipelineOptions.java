package org.uso4j.pipeline.generate;

import org.uso4j.core.DType;
import org.uso4j.core.io.QuantizedStore;
import org.uso4j.pipeline.random.CpuCapability;

/**
 * How a {@link UsoPipeline} runs.
 *
 * @param offload     load each stage (text encoders → style encoder → DiT → VAE) for its part of a generation and
 *                    release it afterwards, bounding peak memory like the official {@code --offload}; false keeps
 *                    every stage loaded between generations
 * @param previews    compute a cheap latent preview after each step for {@link Progress}
 * @param noiseKernel which PyTorch CPU randn kernel the seed reproduces (AVX2: Debian/PyPI x86 builds)
 * @param quantize    null to use the FLUX weights as stored, or Q8_0 / Q4_K / F8_E4M3 to quantize its large matrices
 *                    at load (for users who only have the bf16 release and 16–24 GB of memory)
 * @param allowNonFinite keep going when NaN or Inf appear in an encoder output or the latents (debugging); by
 *                    default the generation fails naming the stage and step
 */
public record PipelineOptions(boolean offload, boolean previews, CpuCapability noiseKernel, DType quantize, boolean allowNonFinite) implements java.io.Serializable {
    public PipelineOptions {
        if (quantize != null && !QuantizedStore.isTarget(quantize)) {
            throw new IllegalArgumentException("quantize: must be q8_0, q4_k or fp8, got " + quantize);
        }
    }

    public static PipelineOptions defaults() { return new PipelineOptions(false, false, CpuCapability.AVX2, null, false); }

    public PipelineOptions withOffload(boolean o) { return new PipelineOptions(o, previews, noiseKernel, quantize, allowNonFinite); }

    public PipelineOptions withPreviews(boolean p) { return new PipelineOptions(offload, p, noiseKernel, quantize, allowNonFinite); }

    public PipelineOptions withQuantize(DType q) { return new PipelineOptions(offload, previews, noiseKernel, q, allowNonFinite); }

    public PipelineOptions withAllowNonFinite(boolean a) { return new PipelineOptions(offload, previews, noiseKernel, quantize, a); }

    /** "q8_0", "q4_k", "fp8" (case-insensitive) or null/"none". */
    public static DType parseQuantize(String s) {
        if (s == null || s.equalsIgnoreCase("none")) return null;
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "q8_0" -> DType.Q8_0;
            case "q4_k" -> DType.Q4_K;
            case "fp8", "f8_e4m3", "fp8_e4m3fn" -> DType.F8_E4M3;
            default -> throw new IllegalArgumentException("--quantize must be q8_0, q4_k or fp8, got '" + s + "'");
        };
    }
}
