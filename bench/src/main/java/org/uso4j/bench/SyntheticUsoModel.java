package org.uso4j.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.uso4j.core.DType;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.model.clip.ClipTextConfig;
import org.uso4j.model.clip.ClipTextModel;
import org.uso4j.model.flux.Flux;
import org.uso4j.model.flux.FluxConfig;
import org.uso4j.model.siglip.SiglipVisionConfig;
import org.uso4j.model.siglip.SiglipVisionModel;
import org.uso4j.model.t5.T5Config;
import org.uso4j.model.t5.T5EncoderModel;
import org.uso4j.model.uso.ProjectorConfig;
import org.uso4j.model.uso.StyleProjector;
import org.uso4j.model.uso.UsoLora;
import org.uso4j.model.vae.AutoEncoder;
import org.uso4j.model.vae.AutoEncoderParams;

/**
 * A complete USO model set at real size with meaningless weights, in ComfyUI's single-file layout
 * ({@code models/diffusion_models}, {@code text_encoders}, {@code clip_vision}, {@code vae}, {@code loras},
 * {@code model_patches}): FLUX.1-dev (Q8_0 GGUF like city96's, or BF16 like the release), the USO LoRA (rank
 * 128) and projector, the FLUX VAE, T5-XXL (fp8 e4m3fn like {@code t5xxl_fp8_e4m3fn.safetensors}, or BF16), CLIP-L
 * and SigLIP so400m. For measuring the memory and time of whole {@code uso4j generate} runs where the real
 * weights cannot be downloaded; every file streams, so writing ~20 GB needs a few MB of memory.
 */
public final class SyntheticUsoModel {
    private SyntheticUsoModel() {}

    /** Where the T5 file goes for {@code t5}: the fp8 name ComfyUI uses, or a bf16 file passed with {@code --t5}. */
    public static Path t5File(Path dir, WeightFormat t5) {
        return dir.resolve(t5 == WeightFormat.FP8 ? "models/text_encoders/t5xxl_fp8_e4m3fn.safetensors" : "models/text_encoders/t5xxl_bf16.safetensors");
    }

    public static Path fluxFile(Path dir, WeightFormat flux) {
        return dir.resolve(flux == WeightFormat.Q8_0 ? "models/diffusion_models/flux1-dev-Q8_0.gguf" : "models/diffusion_models/flux1-dev.safetensors");
    }

    /** Writes the set under {@code dir}; {@code flux} q8_0 or bf16, {@code t5} fp8 or bf16. Returns the bytes written. */
    public static long write(Path dir, WeightFormat flux, WeightFormat t5, PrintStream log) throws IOException {
        if (flux != WeightFormat.Q8_0 && flux != WeightFormat.BF16) throw new IllegalArgumentException("--flux must be q8_0 or bf16");
        if (t5 != WeightFormat.FP8 && t5 != WeightFormat.BF16) throw new IllegalArgumentException("--t5 must be fp8 or bf16");
        FluxConfig cfg = FluxConfig.dev();
        Map<String, String> pt = Map.of("format", "pt");
        long total = 0;

        Path fluxPath = fluxFile(dir, flux);
        Files.createDirectories(fluxPath.getParent());
        total += step(log, fluxPath, flux == WeightFormat.Q8_0
                ? () -> SyntheticFluxGguf.write(fluxPath, cfg, DType.Q8_0)
                : () -> SyntheticSafetensors.write(fluxPath, SyntheticFluxGguf.tensorShapes(cfg), SyntheticSafetensors.Types.matricesAs(DType.BF16, DType.BF16), pt));

        Map<String, int[]> lora = SyntheticSafetensors.shapesOf(s -> new UsoLora(s, new Flux(SyntheticSafetensors.scratchStore(null), cfg), 128));
        Path loraPath = dir.resolve("models/loras/uso-flux1-dit-lora-v1.safetensors");
        total += step(log, loraPath, () -> SyntheticSafetensors.write(loraPath, lora, (k, s) -> DType.BF16, pt));

        Map<String, int[]> projector = SyntheticSafetensors.shapesOf(s -> new StyleProjector(s, ProjectorConfig.release()));
        Path projectorPath = dir.resolve("models/model_patches/uso-flux1-projector-v1.safetensors");
        total += step(log, projectorPath, () -> SyntheticSafetensors.write(projectorPath, projector, (k, s) -> DType.BF16, pt));

        Map<String, int[]> ae = SyntheticSafetensors.shapesOf(s -> AutoEncoder.load(s, AutoEncoderParams.flux()));
        Path aePath = dir.resolve("models/vae/ae.safetensors");
        total += step(log, aePath, () -> SyntheticSafetensors.write(aePath, ae, (k, s) -> DType.F32, pt));

        ScalarBackend be = new ScalarBackend();
        Map<String, int[]> t5Shapes = SyntheticSafetensors.shapesOf(s -> T5EncoderModel.load(s, T5Config.xxl(), be));
        Path t5Path = t5File(dir, t5);
        DType t5Matrices = t5 == WeightFormat.FP8 ? DType.F8_E4M3 : DType.BF16;
        total += step(log, t5Path, () -> SyntheticSafetensors.write(t5Path, t5Shapes,
                (k, s) -> s.length >= 2 && !k.contains("relative_attention_bias") ? t5Matrices : DType.F32, pt));

        Map<String, int[]> clip = SyntheticSafetensors.shapesOf(s -> ClipTextModel.load(s, ClipTextConfig.vitL14(), be));
        Path clipPath = dir.resolve("models/text_encoders/clip_l.safetensors");
        total += step(log, clipPath, () -> SyntheticSafetensors.write(clipPath, clip, SyntheticSafetensors.Types.matricesAs(DType.BF16, DType.F32), pt));

        Map<String, int[]> siglip = SyntheticSafetensors.shapesOf(s -> SiglipVisionModel.load(s, SiglipVisionConfig.so400m(), be));
        Path siglipPath = dir.resolve("models/clip_vision/sigclip_vision_patch14_384.safetensors");
        total += step(log, siglipPath, () -> SyntheticSafetensors.write(siglipPath, siglip, SyntheticSafetensors.Types.matricesAs(DType.BF16, DType.F32), pt));
        return total;
    }

    private interface Writer {
        long write() throws IOException;
    }

    private static long step(PrintStream log, Path file, Writer w) throws IOException {
        long t0 = System.nanoTime(), bytes = w.write();
        log.printf("  wrote %-70s %7.2f GiB in %.0f s%n", file, bytes / (double) (1L << 30), (System.nanoTime() - t0) / 1e9);
        return bytes;
    }
}
