package org.uso4j.pipeline.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.uso4j.core.DType;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.core.io.SafetensorsWriter;
import org.uso4j.model.metrics.clip.ClipConfig;
import org.uso4j.model.metrics.clip.ClipModel;
import org.uso4j.model.metrics.clip.VisionTransformerConfig;
import org.uso4j.model.metrics.csd.CsdConfig;
import org.uso4j.model.metrics.csd.CsdModel;
import org.uso4j.model.metrics.dino.DinoConfig;
import org.uso4j.model.metrics.dino.DinoModel;
import org.uso4j.pipeline.generate.DemoModel;

/**
 * Tiny random-weight metric models for {@code uso4j eval} on a fresh clone: OpenAI CLIP ViT-B/32 (patch 32 at 224,
 * OpenAI state-dict names, with the CLIP BPE vocabulary), DINO ViT-S/16 (patch 16, the torch.hub names) and CSD
 * (a CLIP ViT backbone with style and content heads, the DDP {@code module.} names of the released file), written
 * into the folders {@code uso4j download --set eval} fills. Widths are 64 (one 64-wide head, the head rule of the
 * released models), so no config files are needed. Scores made with them are meaningless; the protocol runs.
 */
public final class DemoMetricModels {
    /** Folders under the models folder, shared with the real downloads. */
    public static final String CLIP_DIR = "eval/clip-vit-base-patch32", DINO_DIR = "eval/dino-vits16", CSD_DIR = "eval/csd-vit-l";

    static final ClipConfig CLIP = new ClipConfig(32, new VisionTransformerConfig(224, 32, 64, 1, 1, 32, 1e-5f), 77, 49408, 64, 1, 1, 1e-5f);
    static final DinoConfig DINO = new DinoConfig(224, 16, 64, 1, 1, 256, 1e-6f);
    static final CsdConfig CSD = new CsdConfig(new VisionTransformerConfig(224, 32, 64, 1, 1, 32, 1e-5f).withoutProjection(), 16);

    private DemoMetricModels() {}

    /** Writes the three models under {@code modelsDir} ({@link #CLIP_DIR}, {@link #DINO_DIR}, {@link #CSD_DIR}). */
    public static void write(Path modelsDir, long seed) {
        Backend be = new ScalarBackend();
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5EED_E7A1L);
        try {
            Map<String, Tensor> clip = new LinkedHashMap<>();
            ClipModel.load(DemoModel.recording(clip, rnd, DType.F32), CLIP, be);
            Path clipDir = modelsDir.resolve(CLIP_DIR);
            write(clipDir.resolve("model.safetensors"), clip, "");
            for (String f : new String[]{"vocab.json", "merges.txt"}) copyTokenizer("clip/" + f, clipDir.resolve(f));

            Map<String, Tensor> dino = new LinkedHashMap<>();
            DinoModel.load(DemoModel.recording(dino, rnd, DType.F32), DINO, be);
            write(modelsDir.resolve(DINO_DIR).resolve("model.safetensors"), dino, "");

            Map<String, Tensor> csd = new LinkedHashMap<>();
            CsdModel.load(DemoModel.recording(csd, rnd, DType.F32), CSD, be);
            write(modelsDir.resolve(CSD_DIR).resolve("model.safetensors"), csd, "module.");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo metric models to " + modelsDir + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, Map<String, Tensor> tensors, String prefix) throws IOException {
        Files.createDirectories(file.getParent());
        Map<String, Tensor> named = new LinkedHashMap<>();
        tensors.forEach((k, v) -> named.put(prefix + k, v));
        SafetensorsWriter.write(file, named, Map.of("format", "pt"));
    }

    private static void copyTokenizer(String name, Path target) throws IOException {
        try (InputStream in = DemoMetricModels.class.getResourceAsStream("/org/uso4j/model/tokenizers/" + name)) {
            if (in == null) throw new IOException("bundled tokenizer file missing from the jar: " + name);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
