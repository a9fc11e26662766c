package org.uso4j.model.clip;

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
import org.uso4j.core.DType;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.CheckpointException;
import org.uso4j.core.io.Checkpoints;
import org.uso4j.core.io.WeightStore;

class ClipTextModelTest {
    final ScalarBackend be = new ScalarBackend();

    /** USO's weights/clip-vit-l14 layout: nested CLIPModel config, text_model.* with the int64 position_ids buffer. */
    @Test
    void pipelineTinyClipMatchesTheOfficialVec() {
        Path root = GOLDEN.resolve("pipeline_tiny");
        Assumptions.assumeTrue(Files.isDirectory(root.resolve("weights/clip-vit-l14")));
        try (ClipTextModel m = ClipTextModel.load(root.resolve("weights/clip-vit-l14"), be);
             Checkpoint io = Checkpoints.open(root.resolve("io.safetensors"))) {
            assertEquals(ClipPooling.ARGMAX_ID, m.config().pooling());
            float[] vec = m.pooled(rows(io.tensor("t2i/clip.input_ids"))).floats();
            float[] expected = io.tensor("t2i/vec").toF32().floats();
            assertEquals(expected.length, vec.length);
            for (int i = 0; i < vec.length; i++) assertEquals(expected[i], vec[i], 8e-6, "vec[" + i + "]");
        }
    }

    @Test
    void wholeClipModelSkipsVisionTowerAndProjectionsByRule() {
        Path dir = GOLDEN.resolve("clip_text_tiny");
        Assumptions.assumeTrue(Files.isDirectory(dir));
        ClipTextConfig c = ClipTextConfig.read(dir.resolve("config.json"));
        try (Checkpoint ckpt = Checkpoints.open(dir.resolve("model.safetensors"))) {
            Tensor positionIds = Tensor.of(DType.I64, Shape.of(1, 77), java.lang.foreign.MemorySegment.ofArray(new long[77]));
            WeightStore full = new WeightStore().addAll(ckpt)
                    .put("vision_model.encoder.layers.0.mlp.fc1.weight", "test [vision_model.encoder.layers.0.mlp.fc1.weight]", Tensor.zeros(4, 4))
                    .put("visual_projection.weight", "test [visual_projection.weight]", Tensor.zeros(4, 4))
                    .put("text_projection.weight", "test [text_projection.weight]", Tensor.zeros(4, 4))
                    .put("logit_scale", "test [logit_scale]", Tensor.zeros(1))
                    .put("text_model.embeddings.position_ids", "test [text_model.embeddings.position_ids]", positionIds);
            try (ClipTextModel m = ClipTextModel.load(full, c, be)) {
                assertTrue(m.summary().contains("CLIP_MODEL"), m.summary());
            }
            WeightStore textOnlyWithStray = new WeightStore().addAll(ckpt).put("logit_scale", "test [logit_scale]", Tensor.zeros(1));
            CheckpointException e = assertThrows(CheckpointException.class, () -> ClipTextModel.load(textOnlyWithStray, c, be));
            assertTrue(e.getMessage().contains("logit_scale"), e.getMessage());
        }
    }

    @Test
    void tooLongOrOutOfVocabularyIdsAreRefused() {
        Path dir = GOLDEN.resolve("clip_text_tiny");
        Assumptions.assumeTrue(Files.isDirectory(dir));
        try (ClipTextModel m = ClipTextModel.load(dir, be)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(new long[1][78]));
            assertTrue(e.getMessage().contains("78"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.forward(new long[][]{{998, 1000}}));
            assertTrue(e.getMessage().contains("1000"), e.getMessage());
        }
    }

    @Test
    void singleFileWithoutConfigIsTakenForClipL(@TempDir Path tmp) throws Exception {
        Path file = copyAlone("clip_text_tiny/model.safetensors", tmp.resolve("clip_l.safetensors"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> ClipTextModel.load(file, be));
        assertTrue(e.getMessage().contains("text_model.embeddings.token_embedding.weight") && e.getMessage().contains("768"), e.getMessage());
    }
}
