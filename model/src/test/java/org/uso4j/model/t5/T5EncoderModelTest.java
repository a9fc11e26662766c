package org.uso4j.model.t5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.uso4j.model.GoldenFixture.GOLDEN;
import static org.uso4j.model.GoldenFixture.copyAlone;
import static org.uso4j.model.GoldenFixture.rows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.CheckpointException;
import org.uso4j.core.io.Checkpoints;
import org.uso4j.core.io.WeightStore;

class T5EncoderModelTest {
    final ScalarBackend be = new ScalarBackend();

    static double maxAbsDiff(Tensor a, Tensor b) {
        float[] x = a.toF32().floats(), y = b.toF32().floats();
        assertEquals(x.length, y.length);
        double m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs((double) x[i] - y[i]));
        return m;
    }

    /** USO's weights/t5-xxl layout (T5ForConditionalGeneration config, encoder-only safetensors beside a .bin). */
    @Test
    void pipelineTinyT5MatchesTheOfficialTxt() {
        Path root = GOLDEN.resolve("pipeline_tiny");
        Assumptions.assumeTrue(Files.isDirectory(root.resolve("weights/t5-xxl")));
        try (T5EncoderModel m = T5EncoderModel.load(root.resolve("weights/t5-xxl"), be);
             Checkpoint io = Checkpoints.open(root.resolve("io.safetensors"))) {
            Tensor txt = m.encode(rows(io.tensor("t2i/t5.input_ids")));
            assertTrue(maxAbsDiff(txt, io.tensor("t2i/txt")) <= 8e-5 * 2, "t2i/txt max err " + maxAbsDiff(txt, io.tensor("t2i/txt")));
        }
    }

    @Test
    void decoderAndLmHeadAreSkippedByRuleAndTiedEmbeddingsChecked() {
        Path dir = GOLDEN.resolve("t5_tiny");
        Assumptions.assumeTrue(Files.isDirectory(dir));
        T5Config c = T5Config.read(dir.resolve("config.json"));
        try (Checkpoint ckpt = Checkpoints.open(dir.resolve("model.safetensors"))) {
            Tensor shared = ckpt.tensor("shared.weight");
            WeightStore full = new WeightStore().addAll(ckpt)
                    .put("decoder.block.0.layer.0.SelfAttention.q.weight", "test [decoder.block.0.layer.0.SelfAttention.q.weight]", Tensor.zeros(32, 32))
                    .put("lm_head.weight", "test [lm_head.weight]", Tensor.zeros(100, 32))
                    .put("encoder.embed_tokens.weight", "test [encoder.embed_tokens.weight]", shared.toF32());
            try (T5EncoderModel m = T5EncoderModel.load(full, c, be)) {
                assertTrue(m.summary().contains("CONDITIONAL_GENERATION"), m.summary());
            }
            WeightStore untied = new WeightStore().addAll(ckpt).put("encoder.embed_tokens.weight", "test [encoder.embed_tokens.weight]", Tensor.zeros(100, 32));
            CheckpointException e = assertThrows(CheckpointException.class, () -> T5EncoderModel.load(untied, c, be));
            assertTrue(e.getMessage().contains("encoder.embed_tokens.weight"), e.getMessage());

            WeightStore stray = new WeightStore().addAll(ckpt).put("encoder.block.0.layer.2.weight", "test [encoder.block.0.layer.2.weight]", Tensor.zeros(3));
            e = assertThrows(CheckpointException.class, () -> T5EncoderModel.load(stray, c, be));
            assertTrue(e.getMessage().contains("encoder.block.0.layer.2.weight"), e.getMessage());
        }
    }

    @Test
    void badIdsAreRefused() {
        Path dir = GOLDEN.resolve("t5_tiny");
        Assumptions.assumeTrue(Files.isDirectory(dir));
        try (T5EncoderModel m = T5EncoderModel.load(dir, be)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.encode(new long[][]{{1, 100}}));
            assertTrue(e.getMessage().contains("100"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> m.encode(new long[][]{{1, 2}, {1}}));
        }
    }

    @Test
    void singleFileWithoutConfigIsTakenForXxl(@TempDir Path tmp) throws Exception {
        Path file = copyAlone("t5_tiny/model.safetensors", tmp.resolve("t5xxl_fp16.safetensors"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> T5EncoderModel.load(file, be));
        assertTrue(e.getMessage().contains("shared.weight") && e.getMessage().contains("4096"), e.getMessage());
        try (T5EncoderModel m = T5EncoderModel.load(file, T5Config.read(GOLDEN.resolve("t5_tiny/config.json")), be)) {
            assertEquals(3, m.config().numLayers());
        }
    }

    /** Original T5 (is_gated_act false): DenseReluDense.wi + wo, built from the tiny weights with wi := wi_0. */
    @Test
    void nonGatedFeedForwardLoadsWiAndWo() {
        Path dir = GOLDEN.resolve("t5_tiny");
        Assumptions.assumeTrue(Files.isDirectory(dir));
        T5Config g = T5Config.read(dir.resolve("config.json"));
        T5Config relu = new T5Config(g.vocabSize(), g.dModel(), g.dKv(), g.dFf(), g.numLayers(), g.numHeads(),
                g.relativeAttentionNumBuckets(), g.relativeAttentionMaxDistance(), g.layerNormEpsilon(), "relu", false);
        try (Checkpoint ckpt = Checkpoints.open(dir.resolve("model.safetensors"))) {
            WeightStore s = new WeightStore();
            for (var e : ckpt.entries()) {
                if (e.name().endsWith("DenseReluDense.wi_1.weight")) continue;
                String key = e.name().replace("DenseReluDense.wi_0.", "DenseReluDense.wi.");
                s.put(key, "test [" + key + "]", e.dtype(), e.shape(), () -> ckpt.tensor(e.name()));
            }
            try (T5EncoderModel m = T5EncoderModel.load(s, relu, be)) {
                float[] out = m.encode(new long[][]{{5, 7, 1, 0}}).floats();
                for (float v : out) assertTrue(Float.isFinite(v));
            }
            CheckpointException e = assertThrows(CheckpointException.class, () -> T5EncoderModel.load(new WeightStore().addAll(ckpt), relu, be));
            assertTrue(e.getMessage().contains("DenseReluDense.wi.weight"), e.getMessage());
        }
    }
}
