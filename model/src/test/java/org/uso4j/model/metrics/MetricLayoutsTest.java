package org.uso4j.model.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.core.DType;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.CheckpointException;
import org.uso4j.core.io.SafetensorsFile;
import org.uso4j.core.io.SafetensorsWriter;
import org.uso4j.core.io.WeightStore;
import org.uso4j.model.metrics.clip.ClipConfig;
import org.uso4j.model.metrics.clip.ClipModel;
import org.uso4j.model.metrics.csd.CsdConfig;
import org.uso4j.model.metrics.dino.DinoConfig;
import org.uso4j.model.metrics.dino.DinoModel;

/**
 * The Hugging Face name tables give the same networks as the official state dicts (the golden tiny weights
 * re-saved in the HF layouts), and config inference from shapes reproduces the real presets.
 */
class MetricLayoutsTest {
    private static final Path METRICS = Path.of(System.getProperty("uso4j.golden", "../shared/golden")).resolve("metrics");

    @TempDir Path tmp;

    @Test
    void clipFromTheHuggingFaceLayoutEqualsTheOpenAiStateDict() throws Exception {
        Path openai = METRICS.resolve("clip_tiny/weights.safetensors");
        Assumptions.assumeTrue(Files.isRegularFile(openai));
        Map<String, Tensor> hf = new LinkedHashMap<>();
        try (Checkpoint c = SafetensorsFile.open(openai)) {
            for (String k : c.names()) {
                Tensor t = c.tensor(k).toF32();
                String v = k.startsWith("visual.") ? "vision_model." : "text_model.";
                String r = k.startsWith("visual.") ? k.substring(7) : k;
                if (r.startsWith("transformer.resblocks.")) {
                    String[] p = r.split("\\.", 4);
                    String base = v + "encoder.layers." + p[2] + ".", rest = p[3];
                    if (rest.startsWith("attn.in_proj_")) {
                        String kind = rest.endsWith("weight") ? "weight" : "bias";
                        int w = t.dim(0) / 3;
                        String[] qkv = {"q_proj", "k_proj", "v_proj"};
                        for (int i = 0; i < 3; i++) hf.put(base + "self_attn." + qkv[i] + "." + kind, rows(t, i * w, w));
                    } else {
                        hf.put(base + rest.replace("attn.out_proj", "self_attn.out_proj").replace("ln_1", "layer_norm1")
                                .replace("ln_2", "layer_norm2").replace("mlp.c_fc", "mlp.fc1").replace("mlp.c_proj", "mlp.fc2"), t);
                    }
                    continue;
                }
                switch (k) {
                    case "visual.class_embedding" -> hf.put("vision_model.embeddings.class_embedding", t);
                    case "visual.conv1.weight" -> hf.put("vision_model.embeddings.patch_embedding.weight", t);
                    case "visual.positional_embedding" -> hf.put("vision_model.embeddings.position_embedding.weight", t);
                    case "visual.ln_pre.weight", "visual.ln_pre.bias" -> hf.put("vision_model.pre_layrnorm." + last(k), t);
                    case "visual.ln_post.weight", "visual.ln_post.bias" -> hf.put("vision_model.post_layernorm." + last(k), t);
                    case "visual.proj" -> hf.put("visual_projection.weight", Repack.transpose(t));
                    case "text_projection" -> hf.put("text_projection.weight", Repack.transpose(t));
                    case "token_embedding.weight" -> hf.put("text_model.embeddings.token_embedding.weight", t);
                    case "positional_embedding" -> hf.put("text_model.embeddings.position_embedding.weight", t);
                    case "ln_final.weight", "ln_final.bias" -> hf.put("text_model.final_layer_norm." + last(k), t);
                    case "logit_scale" -> hf.put("logit_scale", t);
                    default -> throw new AssertionError("unmapped " + k);
                }
            }
        }
        Path dir = Files.createDirectories(tmp.resolve("clip-hf"));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), hf, Map.of());
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"clip\", \"text_config\": {\"num_attention_heads\": 4},"
                + " \"vision_config\": {\"num_attention_heads\": 2}}");
        CpuBackend be = new CpuBackend(2);
        Tensor image = random(new Random(1), 2, 3, 224, 224);
        long[][] tokens = new long[2][77];
        tokens[0][0] = 49406; tokens[0][1] = 320; tokens[0][2] = 49407;
        tokens[1][0] = 49406; tokens[1][1] = 2368; tokens[1][2] = 1125; tokens[1][3] = 49407;
        try (ClipModel a = ClipModel.load(openai, be); ClipModel b = ClipModel.load(dir, be)) {
            assertEquals(a.config(), b.config());
            assertArrayEquals(a.encodeImage(image).floats(), b.encodeImage(image).floats());
            assertArrayEquals(a.encodeText(tokens).floats(), b.encodeText(tokens).floats());
        }
        // strict: a stray tensor is named
        hf.put("text_model.extra.weight", Tensor.zeros(2));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), hf, Map.of());
        CheckpointException e = assertThrows(CheckpointException.class, () -> ClipModel.load(dir, be).close());
        assertTrue(e.getMessage().contains("text_model.extra.weight"), e.getMessage());
    }

    @Test
    void dinoFromTheHuggingFaceLayoutEqualsTheDinoStateDict() throws Exception {
        Path dino = METRICS.resolve("dino_tiny/weights.safetensors");
        Assumptions.assumeTrue(Files.isRegularFile(dino));
        Map<String, Tensor> hf = new LinkedHashMap<>();
        try (Checkpoint c = SafetensorsFile.open(dino)) {
            for (String k : c.names()) {
                Tensor t = c.tensor(k).toF32();
                if (k.startsWith("blocks.")) {
                    String[] p = k.split("\\.", 3);
                    String base = "vit.encoder.layer." + p[1] + ".", rest = p[2];
                    if (rest.startsWith("attn.qkv.")) {
                        int d = t.dim(0) / 3;
                        String[] qkv = {"query", "key", "value"};
                        for (int i = 0; i < 3; i++) hf.put(base + "attention.attention." + qkv[i] + "." + last(k), rows(t, i * d, d));
                        continue;
                    }
                    hf.put(base + Map.of("norm1", "layernorm_before", "norm2", "layernorm_after", "attn.proj", "attention.output.dense",
                            "mlp.fc1", "intermediate.dense", "mlp.fc2", "output.dense").get(rest.substring(0, rest.lastIndexOf('.'))) + "." + last(k), t);
                    continue;
                }
                hf.put("vit." + Map.of("cls_token", "embeddings.cls_token", "pos_embed", "embeddings.position_embeddings",
                        "patch_embed.proj.weight", "embeddings.patch_embeddings.projection.weight",
                        "patch_embed.proj.bias", "embeddings.patch_embeddings.projection.bias",
                        "norm.weight", "layernorm.weight", "norm.bias", "layernorm.bias").get(k), t);
            }
        }
        int d = hf.get("vit.embeddings.cls_token").dim(2);
        hf.put("vit.pooler.dense.weight", Tensor.zeros(d, d));
        hf.put("vit.pooler.dense.bias", Tensor.zeros(d));
        Path dir = Files.createDirectories(tmp.resolve("dino-hf"));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), hf, Map.of());
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"vit\", \"num_attention_heads\": 4, \"layer_norm_eps\": 1e-12}");
        CpuBackend be = new CpuBackend(2);
        Tensor x = random(new Random(2), 1, 3, 48, 40);
        try (DinoModel a = DinoModel.load(dino, be); DinoModel b = DinoModel.load(dir, be)) {
            assertEquals(a.config(), b.config());
            assertArrayEquals(a.forward(x).cls().floats(), b.forward(x).cls().floats());
        }
    }

    @Test
    void configsInferredFromRealShapesAreThePresets() {
        WeightStore clip = shapes(Map.of("visual.conv1.weight", new int[]{768, 3, 32, 32}, "visual.positional_embedding", new int[]{50, 768},
                "text_projection", new int[]{512, 512}, "positional_embedding", new int[]{77, 512}, "token_embedding.weight", new int[]{49408, 512},
                "ln_final.weight", new int[]{512}));
        for (int i = 0; i < 12; i++) {
            clip.put("visual.transformer.resblocks." + i + ".ln_1.weight", "shape", DType.F32, Shape.of(768), () -> null);
            clip.put("transformer.resblocks." + i + ".ln_1.weight", "shape", DType.F32, Shape.of(512), () -> null);
        }
        assertEquals(ClipConfig.vitB32(), ClipConfig.fromWeights(clip, OptionalInt.empty(), OptionalInt.empty(), 1e-5f));

        WeightStore dino = shapes(Map.of("cls_token", new int[]{1, 1, 384}, "patch_embed.proj.weight", new int[]{384, 3, 16, 16},
                "pos_embed", new int[]{1, 197, 384}, "blocks.0.mlp.fc1.weight", new int[]{1536, 384}));
        for (int i = 1; i < 12; i++) dino.put("blocks." + i + ".norm1.weight", "shape", DType.F32, Shape.of(384), () -> null);
        assertEquals(DinoConfig.vits16(), DinoConfig.fromWeights(dino, OptionalInt.empty(), 1e-6f));

        WeightStore csd = shapes(Map.of("backbone.conv1.weight", new int[]{1024, 3, 14, 14}, "backbone.positional_embedding", new int[]{257, 1024},
                "last_layer_style", new int[]{1024, 768}));
        for (int i = 0; i < 24; i++) csd.put("backbone.transformer.resblocks." + i + ".ln_1.weight", "shape", DType.F32, Shape.of(1024), () -> null);
        assertEquals(CsdConfig.vitL14(), CsdConfig.fromWeights(csd, OptionalInt.empty(), 1e-5f));
    }

    private static WeightStore shapes(Map<String, int[]> shapes) {
        WeightStore s = new WeightStore();
        shapes.forEach((k, d) -> s.put(k, "shape", DType.F32, Shape.of(d), () -> null));
        return s;
    }

    private static String last(String k) { return k.substring(k.lastIndexOf('.') + 1); }

    /** Rows [start, start + n) of a float32 tensor. */
    private static Tensor rows(Tensor t, int start, int n) {
        int row = (int) (t.numel() / t.dim(0));
        float[] out = new float[n * row];
        System.arraycopy(t.floats(), start * row, out, 0, out.length);
        int[] d = t.dims();
        d[0] = n;
        return Tensor.wrap(out, d);
    }

    private static Tensor random(Random r, int... dims) {
        float[] v = new float[(int) Shape.of(dims).numel()];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return Tensor.wrap(v, dims);
    }

}
