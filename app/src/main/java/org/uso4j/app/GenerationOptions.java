package org.uso4j.app;

import java.util.Locale;
import java.util.List;
import org.uso4j.pipeline.generate.GenerationRequest;
import org.uso4j.pipeline.generate.PipelineOptions;
import org.uso4j.pipeline.sampling.PositionEmbedding;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The generation settings shared by {@code generate} and {@code eval --generate} (official names, underscores too). */
final class GenerationOptions {
    @Option(names = "--width", defaultValue = "1024", description = "image width in pixels (floored to a multiple of 16)") int width;
    @Option(names = "--height", defaultValue = "1024", description = "image height in pixels (floored to a multiple of 16)") int height;
    @Option(names = {"--num-steps", "--num_steps"}, defaultValue = "25", description = "Euler denoising steps") int numSteps;
    @Option(names = "--guidance", defaultValue = "4", description = "FLUX distilled guidance") float guidance;
    @Option(names = "--seed", defaultValue = "3407", description = "noise seed; -1 = a random one (printed and recorded); image j uses seed + j") long seed;
    @Option(names = "--pe", defaultValue = "d", description = "reference position ids: d, h, w or o") String pe;
    @Option(names = {"--content-ref", "--content_ref"}, defaultValue = "512", description = "long side of the preprocessed content image") int contentRef;
    @Option(names = {"--lora-weight", "--lora_weight"}, defaultValue = "1", description = "scale of the USO LoRA") float loraWeight;
    @Option(names = "--posterior", defaultValue = "sample", description = "content latent: sample (seeded) or mean") String posterior;
    @Option(names = {"--posterior-seed", "--posterior_seed"}, description = "base seed of the content posterior noise (default: seed + 1000003)") Long posteriorSeed;
    @Option(names = "--quantize", description = "quantize the FLUX weights at load: q8_0, q4_k or fp8 (default: as stored)") String quantize;
    @Option(names = "--offload", arity = "0..1", fallbackValue = "true", showDefaultValue = CommandLine.Help.Visibility.ALWAYS,
            description = "load and release each stage in turn (lower peak memory); on a GPU the weights stay in host memory and stream to the device as they are used") boolean offload;
    @Option(names = "--threads", description = "CPU threads (default: all processors)") Integer threads;
    @Option(names = "--allow-nonfinite", description = "keep going when NaN/Inf appear in an encoder output or the latents (debugging; default: fail naming the stage and step)")
    boolean allowNonFinite;
    @Option(names = "--precision", defaultValue = "auto", converter = PrecisionOption.Converter.class, description = PrecisionOption.DESCRIPTION)
    PrecisionOption precision;
    @CommandLine.Mixin DeviceOption device;

    /** The seed to use: --seed, or a fresh random one for -1. */
    long resolveSeed(CommandLine cmd) {
        try {
            return GenerationRequest.resolveSeed(seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cmd, "--" + e.getMessage());
        }
    }

    boolean randomSeed() { return seed == GenerationRequest.RANDOM_SEED; }

    /** The request settings with {@code prompt} and no images (callers add them per item). */
    GenerationRequest template(CommandLine cmd, String prompt, long usedSeed) {
        return new GenerationRequest(prompt, List.of(), List.of(), width, height, numSteps, guidance, usedSeed, PositionEmbedding.parse(pe),
                contentRef, loraWeight, posterior(cmd), posteriorSeed);
    }

    PipelineOptions pipelineOptions() {
        return PipelineOptions.defaults().withOffload(offload).withQuantize(PipelineOptions.parseQuantize(quantize))
                .withAllowNonFinite(allowNonFinite);
    }

    /** --device, --threads and --precision. */
    BackendChoice backendChoice() { return BackendChoice.of(device, threads, precision, false).withOffload(offload); }

    private GenerationRequest.Posterior posterior(CommandLine cmd) {
        return switch (posterior.toLowerCase(Locale.ROOT)) {
            case "sample" -> GenerationRequest.Posterior.SAMPLE;
            case "mean" -> GenerationRequest.Posterior.MEAN;
            default -> throw new ParameterException(cmd, "--posterior must be sample or mean, got '" + posterior + "'");
        };
    }
}
