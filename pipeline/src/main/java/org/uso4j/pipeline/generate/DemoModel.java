package org.uso4j.pipeline.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.uso4j.core.DType;
import org.uso4j.core.FloatFormats;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.core.io.SafetensorsWriter;
import org.uso4j.core.io.WeightStore;
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
 * Writes a complete, tiny USO model set with random weights in the official downloader layout
 * ({@code weights/FLUX.1-dev}, {@code weights/USO/uso_flux_v1.0}, {@code weights/t5-xxl}, {@code weights/clip-vit-l14},
 * {@code weights/siglip}), with the real tokenizers: every mode of {@code uso4j generate} runs on it in seconds, on a
 * fresh machine, without downloads. The images are noise-like (the weights are random); it is a smoke test of the
 * whole engine, not a model. The networks are built with their own loaders, so the files hold exactly the keys and
 * shapes real checkpoints have.
 */
public final class DemoModel {
    /** FLUX with the real head geometry (head dim 128, RoPE axes [16, 56, 56]) at 2 heads, depth 1 + 1. */
    static final FluxConfig FLUX = new FluxConfig(64, 8, 32, 256, 2.0, 2, 1, 1, new int[]{16, 56, 56}, 10000, true, true);
    static final int LORA_RANK = 4;
    static final ProjectorConfig PROJECTOR = new ProjectorConfig(729, 16, 32, FLUX.hiddenSize());

    private DemoModel() {}

    public static void write(Path dir, long seed) {
        try {
            Path w = dir.resolve("weights");
            Backend be = new ScalarBackend();
            SplittableRandom rnd = new SplittableRandom(seed);

            // FLUX (BF16, as the release), then the LoRA and the projector against it
            Map<String, Tensor> flux = new LinkedHashMap<>(), lora = new LinkedHashMap<>(), projector = new LinkedHashMap<>();
            Flux model = new Flux(recording(flux, rnd, DType.BF16), FLUX);
            new UsoLora(recording(lora, rnd, DType.BF16), model, LORA_RANK);
            WeightStore ps = recording(projector, rnd, DType.BF16);
            new StyleProjector(ps, PROJECTOR);
            Map<String, String> pt = Map.of("format", "pt");
            write(w.resolve("FLUX.1-dev/flux1-dev.safetensors"), flux, pt);
            write(w.resolve("USO/uso_flux_v1.0/dit_lora.safetensors"), lora, pt);
            write(w.resolve("USO/uso_flux_v1.0/projector.safetensors"), projector, pt);

            Map<String, Tensor> ae = new LinkedHashMap<>();
            AutoEncoder.load(recording(ae, rnd, DType.F32), new AutoEncoderParams(256, 3, 32, 3, List.of(1, 1, 1, 1), 1, 16, 0.3611f, 0.1159f));
            write(w.resolve("FLUX.1-dev/ae.safetensors"), ae, pt);

            ObjectMapper json = new ObjectMapper();
            String t5Json = """
                    {"architectures": ["T5EncoderModel"], "model_type": "t5", "d_model": 32, "d_kv": 8, "d_ff": 64, "num_layers": 2,
                     "num_heads": 4, "feed_forward_proj": "gated-gelu", "relative_attention_num_buckets": 32, "vocab_size": 32128,
                     "layer_norm_epsilon": 1e-06, "is_encoder_decoder": false}""";
            Map<String, Tensor> t5 = new LinkedHashMap<>();
            T5EncoderModel.load(recording(t5, rnd, DType.F32), T5Config.fromJson(json.readTree(t5Json), "demo t5"), be);
            Path t5Dir = w.resolve("t5-xxl");
            write(t5Dir.resolve("model.safetensors"), t5, pt);
            Files.writeString(t5Dir.resolve("config.json"), t5Json);
            copyResource("t5/spiece.model", t5Dir.resolve("spiece.model"));

            String clipJson = """
                    {"architectures": ["CLIPTextModel"], "model_type": "clip_text_model", "hidden_size": 8, "intermediate_size": 32,
                     "num_attention_heads": 2, "num_hidden_layers": 2, "bos_token_id": 0, "eos_token_id": 2, "vocab_size": 49408,
                     "max_position_embeddings": 77}""";
            Map<String, Tensor> clip = new LinkedHashMap<>();
            ClipTextModel.load(recording(clip, rnd, DType.F32), ClipTextConfig.fromJson(json.readTree(clipJson), "demo clip"), be);
            Path clipDir = w.resolve("clip-vit-l14");
            write(clipDir.resolve("model.safetensors"), clip, pt);
            Files.writeString(clipDir.resolve("config.json"), clipJson);
            for (String f : new String[]{"vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"}) {
                copyResource("clip/" + f, clipDir.resolve(f));
            }

            String siglipJson = """
                    {"architectures": ["SiglipVisionModel"], "model_type": "siglip_vision_model", "hidden_size": 32, "image_size": 384,
                     "intermediate_size": 64, "num_attention_heads": 4, "num_hidden_layers": 20, "patch_size": 14}""";
            Map<String, Tensor> siglip = new LinkedHashMap<>();
            JsonNode sj = json.readTree(siglipJson);
            SiglipVisionModel.load(recording(siglip, rnd, DType.F32), SiglipVisionConfig.fromJson(sj, "demo siglip"), be);
            Path sDir = w.resolve("siglip");
            write(sDir.resolve("model.safetensors"), siglip, pt);
            Files.writeString(sDir.resolve("config.json"), siglipJson);
            Files.writeString(sDir.resolve("preprocessor_config.json"), """
                    {"do_normalize": true, "do_rescale": true, "do_resize": true, "image_mean": [0.5, 0.5, 0.5],
                     "image_processor_type": "SiglipImageProcessor", "image_std": [0.5, 0.5, 0.5], "resample": 3,
                     "rescale_factor": 0.00392156862745098, "size": {"height": 384, "width": 384}}""");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo model to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A store inventing every tensor it is asked for (N(0, 1)/√fan_in, norm scales ≈ 1, in F32 or BF16) and recording
     * it in {@code into} (may be null). Also the random model of {@code uso4j selftest}.
     */
    public static WeightStore recording(Map<String, Tensor> into, SplittableRandom rnd, DType dtype) {
        return WeightStore.generated((key, shape) -> {
            float[] v = new float[Math.toIntExact(Shape.of(shape).numel())];
            boolean scale = key.endsWith(".scale") || key.contains("norm") && key.endsWith(".weight") && shape.length == 1;
            double std = shape.length >= 2 ? 1 / Math.sqrt(Shape.of(shape).numel() / shape[0]) : 0.02;
            for (int i = 0; i < v.length; i++) v[i] = (float) ((scale ? 1 : 0) + std * gaussian(rnd));
            Tensor t = dtype == DType.BF16 ? bf16(v, shape) : Tensor.wrap(v, shape);
            if (into != null) into.put(key, t);
            return t;
        });
    }

    private static Tensor bf16(float[] v, int[] shape) {
        short[] b = new short[v.length];
        for (int i = 0; i < v.length; i++) b[i] = FloatFormats.floatToBf16(v[i]);
        return Tensor.of(DType.BF16, Shape.of(shape), MemorySegment.ofArray(b));
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(r.nextDouble(1e-12, 1))) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** A float32 tensor of N(0, 1) values. */
    public static Tensor gaussian(SplittableRandom r, int... dims) {
        float[] v = new float[Math.toIntExact(Shape.of(dims).numel())];
        for (int i = 0; i < v.length; i++) v[i] = (float) gaussian(r);
        return Tensor.wrap(v, dims);
    }

    private static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Files.createDirectories(file.getParent());
        SafetensorsWriter.write(file, tensors, metadata);
    }

    private static void copyResource(String name, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = DemoModel.class.getResourceAsStream("/org/uso4j/model/tokenizers/" + name)) {
            if (in == null) throw new IOException("bundled tokenizer file missing from the jar: " + name);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
