package org.uso4j.model.siglip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.uso4j.model.GoldenFixture.GOLDEN;
import static org.uso4j.model.GoldenFixture.copyAlone;

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

class SiglipVisionModelTest {
    final ScalarBackend be = new ScalarBackend();

    @Test
    void fullSiglipModelCheckpointSkipsTheTextTowerByRule() {
        Path dir = GOLDEN.resolve("pipeline_tiny/weights/siglip"); // SiglipModel: vision_model.*, text_model.*, logit_scale/bias
        Assumptions.assumeTrue(Files.isDirectory(dir));
        try (SiglipVisionModel m = SiglipVisionModel.load(dir, be)) {
            assertTrue(m.summary().contains("SIGLIP_MODEL"), m.summary());
            assertEquals(384, m.config().imageSize());
            assertTrue(m.hasPoolingHead());
            SiglipVisionOutput out = m.forward(Tensor.zeros(1, 3, 384, 384));
            assertArrayEquals(new int[]{1, 729, 32}, out.lastHiddenState().dims());
            assertEquals(21, out.hiddenStates().size());
            assertSame(out.hiddenStates().get(19), out.hiddenState(-2));
            assertArrayEquals(new int[]{1, 32}, out.poolerOutput().dims());
        }
    }

    @Test
    void unknownTensorsMissingTensorsAndWrongPixelsFail() {
        Path dir = GOLDEN.resolve("siglip_tiny");
        Assumptions.assumeTrue(Files.isDirectory(dir));
        SiglipVisionConfig c = SiglipVisionConfig.read(dir.resolve("config.json"));
        try (Checkpoint ckpt = Checkpoints.open(dir.resolve("model.safetensors"))) {
            WeightStore extra = new WeightStore().addAll(ckpt).put("vision_model.extra.weight", "test [vision_model.extra.weight]", Tensor.zeros(2));
            CheckpointException e = assertThrows(CheckpointException.class, () -> SiglipVisionModel.load(extra, c, be));
            assertTrue(e.getMessage().contains("vision_model.extra.weight"), e.getMessage());

            WeightStore fewerLayers = new WeightStore().addAll(ckpt);
            SiglipVisionConfig moreLayers = new SiglipVisionConfig(c.hiddenSize(), c.intermediateSize(), c.numHiddenLayers() + 1,
                    c.numAttentionHeads(), c.numChannels(), c.imageSize(), c.patchSize(), c.hiddenAct(), c.layerNormEps(), true);
            e = assertThrows(CheckpointException.class, () -> SiglipVisionModel.load(fewerLayers, moreLayers, be));
            assertTrue(e.getMessage().contains("vision_model.encoder.layers.20."), e.getMessage());

            try (SiglipVisionModel m = SiglipVisionModel.load(new WeightStore().addAll(ckpt), c, be)) {
                IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(1, 3, 29, 28)));
                assertTrue(bad.getMessage().contains("28"), bad.getMessage());
            }
        }
    }

    @Test
    void headlessCheckpointNeedsAHeadlessConfig() {
        Path dir = GOLDEN.resolve("siglip_tiny");
        Assumptions.assumeTrue(Files.isDirectory(dir));
        SiglipVisionConfig c = SiglipVisionConfig.read(dir.resolve("config.json"));
        try (Checkpoint ckpt = Checkpoints.open(dir.resolve("model.safetensors"))) {
            WeightStore headless = new WeightStore();
            for (var e : ckpt.entries()) {
                if (!e.name().startsWith("vision_model.head.")) headless.put(e.name(), "test", e.dtype(), e.shape(), () -> ckpt.tensor(e.name()));
            }
            CheckpointException e = assertThrows(CheckpointException.class, () -> SiglipVisionModel.load(headless, c, be));
            assertTrue(e.getMessage().contains("vision_model.head.attention.in_proj_weight"), e.getMessage());
            try (SiglipVisionModel m = SiglipVisionModel.load(headless, c.withoutHead(), be)) {
                SiglipVisionOutput out = m.forward(Tensor.zeros(2, 3, 28, 28));
                assertFalse(m.hasPoolingHead());
                assertEquals(null, out.poolerOutput());
            }
        }
    }

    @Test
    void singleFileWithoutConfigIsTakenForSo400m(@TempDir Path tmp) throws Exception {
        Path file = copyAlone("siglip_tiny/model.safetensors", tmp.resolve("sigclip_vision_patch14_384.safetensors"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> SiglipVisionModel.load(file, be));
        assertTrue(e.getMessage().contains("vision_model.embeddings.patch_embedding.weight") && e.getMessage().contains("1152"), e.getMessage());
    }
}
