package org.uso4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.core.DType;
import org.uso4j.core.Tensor;
import org.uso4j.core.io.SafetensorsFile;
import org.uso4j.core.io.WeightStore;
import org.uso4j.model.clip.ClipTextConfig;
import org.uso4j.model.clip.ClipTextModel;
import org.uso4j.core.backend.ScalarBackend;

/** The streaming writer of synthetic weights: what it writes is a valid safetensors file a loader takes strictly. */
class SyntheticSafetensorsTest {

    @Test
    void writesWhatTheLoaderAsksForInTheChosenDtypes(@TempDir Path dir) throws Exception {
        ClipTextConfig tiny = new ClipTextConfig(300, 16, 32, 2, 2, 8, "quick_gelu", 1e-5f, 1, 0, 2);
        ScalarBackend be = new ScalarBackend();
        Map<String, int[]> shapes = SyntheticSafetensors.shapesOf(s -> ClipTextModel.load(s, tiny, be));
        assertTrue(shapes.containsKey("text_model.final_layer_norm.weight"), shapes.keySet()::toString);
        Path file = dir.resolve("clip.safetensors");
        SyntheticSafetensors.write(file, shapes, SyntheticSafetensors.Types.matricesAs(DType.F8_E4M3, DType.F32), Map.of("format", "pt"));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(shapes.keySet(), f.names());
            for (Map.Entry<String, int[]> e : shapes.entrySet()) {
                Tensor t = f.tensor(e.getKey());
                assertArrayEquals(e.getValue(), t.dims(), e.getKey());
                assertEquals(e.getValue().length >= 2 ? DType.F8_E4M3 : DType.F32, t.dtype(), e.getKey());
                float[] v = t.toF32().floats();
                for (float x : v) assertTrue(Float.isFinite(x) && Math.abs(x) < 10, e.getKey() + " holds " + x);
                if (e.getKey().endsWith("layer_norm1.weight")) assertEquals(1f, v[0], e.getKey() + ": norm scales are 1");
            }
            ClipTextModel m = ClipTextModel.load(new WeightStore().addAll(f), tiny, be); // strict: every tensor used, shapes checked
            m.close();
        }
    }

    @Test
    void aModelSetRefusesFormatsItCannotWriteBeforeWritingAnything(@TempDir Path dir) throws Exception {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SyntheticUsoModel.write(dir, WeightFormat.F32, WeightFormat.FP8, System.out));
        assertTrue(e.getMessage().contains("--flux must be q8_0 or bf16"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SyntheticUsoModel.write(dir, WeightFormat.Q8_0, WeightFormat.Q4_K, System.out));
        assertTrue(e.getMessage().contains("--t5 must be fp8 or bf16"), e.getMessage());
        try (var files = java.nio.file.Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }
}
