package org.uso4j.pipeline.generate;

import org.uso4j.pipeline.random.CpuCapability;

/**
 * How a {@link UsoPipeline} runs.
 *
 * @param offload     load each stage (text encoders → style encoder → DiT → VAE) for its part of a generation and
 *                    release it afterwards, bounding peak memory like the official {@code --offload}; false keeps
 *                    every stage loaded between generations
 * @param previews    compute a cheap latent preview after each step for {@link Progress}
 * @param noiseKernel which PyTorch CPU randn kernel the seed reproduces (AVX2: Debian/PyPI x86 builds)
 */
public record PipelineOptions(boolean offload, boolean previews, CpuCapability noiseKernel) {
    public static PipelineOptions defaults() { return new PipelineOptions(false, false, CpuCapability.AVX2); }

    public PipelineOptions withOffload(boolean o) { return new PipelineOptions(o, previews, noiseKernel); }

    public PipelineOptions withPreviews(boolean p) { return new PipelineOptions(offload, p, noiseKernel); }
}
