package org.uso4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.core.DType;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;

/** Reads the golden torch.save files and compares every tensor with the safetensors file holding the same dict. */
class PytorchCheckpointGoldenTest {
    private static final Path GOLDEN = Path.of(System.getProperty("uso4j.golden", "../shared/golden"));
    private static final Path T5 = GOLDEN.resolve("pipeline_tiny/weights/t5-xxl");
    private static final Path CLIP = GOLDEN.resolve("pipeline_tiny/weights/clip-vit-l14");
    private static final Path CSD = GOLDEN.resolve("metrics/csd_tiny");

    private static void assumeGolden(Path dir) {
        Assumptions.assumeTrue(Files.isDirectory(dir), "golden folder " + dir + " absent");
    }

    /** Every tensor of {@code st} is in {@code pt} with the same dtype, shape and bytes; returns the names compared. */
    private static List<String> assertSameTensors(Checkpoint pt, Checkpoint st) {
        List<String> compared = new ArrayList<>();
        for (TensorEntry e : st.entries()) {
            assertTrue(pt.contains(e.name()), pt.source() + " lacks " + e.name());
            Tensor a = pt.tensor(e.name()), b = st.tensor(e.name());
            assertEquals(b.dtype(), a.dtype(), e.name());
            assertEquals(b.shape(), a.shape(), e.name());
            assertEquals(-1L, a.segment().mismatch(b.segment()), e.name() + " bytes differ");
            compared.add(e.name());
        }
        return compared;
    }

    @Test
    void t5MatchesSafetensorsAndSharesTheEmbeddingStorage() {
        assumeGolden(T5);
        try (PytorchCheckpoint pt = PytorchCheckpoint.open(T5.resolve("pytorch_model.bin"));
             SafetensorsFile st = SafetensorsFile.open(T5.resolve("model.safetensors"))) {
            List<String> compared = assertSameTensors(pt, st);
            assertEquals(st.names().size(), compared.size());
            assertTrue(pt.names().containsAll(st.names()));
            assertEquals("3", pt.metadata().get("pytorch.version"));
            // One storage referenced twice: same key, same bytes, both views of one mapped record.
            assertEquals(pt.storageKey("shared.weight"), pt.storageKey("encoder.embed_tokens.weight"));
            Tensor shared = pt.tensor("shared.weight"), embed = pt.tensor("encoder.embed_tokens.weight");
            assertEquals(shared.segment().address(), embed.segment().address());
            assertNotEquals(pt.storageKey("shared.weight"), pt.storageKey(pt.names().stream()
                    .filter(n -> n.endsWith("q.weight")).findFirst().orElseThrow()));
        }
    }

    @Test
    void clipMatchesSafetensorsIncludingInt64PositionIds() {
        assumeGolden(CLIP);
        try (PytorchCheckpoint pt = PytorchCheckpoint.open(CLIP.resolve("pytorch_model.bin"));
             SafetensorsFile st = SafetensorsFile.open(CLIP.resolve("model.safetensors"))) {
            assertEquals(List.copyOf(st.names()), List.copyOf(pt.names()));
            assertSameTensors(pt, st);
            Tensor ids = pt.tensor("text_model.embeddings.position_ids");
            assertEquals(DType.I64, ids.dtype());
            assertEquals(Shape.of(1, 77), ids.shape());
            long[] v = ids.toLongs();
            for (int i = 0; i < v.length; i++) assertEquals(i, v[i]);
        }
    }

    @Test
    void csdTrainingCheckpointExposesModelStateDict() {
        assumeGolden(CSD);
        try (PytorchCheckpoint pt = PytorchCheckpoint.open(CSD.resolve("pytorch_model.bin"));
             SafetensorsFile st = SafetensorsFile.open(CSD.resolve("weights.safetensors"))) {
            assertEquals(List.copyOf(st.names()), List.copyOf(pt.names()));
            assertTrue(pt.names().iterator().next().startsWith("module."));
            assertSameTensors(pt, st);
            assertEquals("model_state_dict", pt.metadata().get("pytorch.state_dict_key"));
        }
    }

    @Test
    void checkpointsDispatchesAndFindsBinWhenNoSafetensors(@TempDir Path tmp) throws IOException {
        assumeGolden(T5);
        assertEquals(T5.resolve("model.safetensors"), Checkpoints.findIn(T5), "safetensors is preferred");
        try (Checkpoint c = Checkpoints.open(T5.resolve("pytorch_model.bin"))) {
            assertInstanceOf(PytorchCheckpoint.class, c);
        }
        Files.copy(T5.resolve("pytorch_model.bin"), tmp.resolve("pytorch_model.bin"));
        Files.copy(T5.resolve("config.json"), tmp.resolve("config.json"));
        assertEquals(tmp.resolve("pytorch_model.bin"), Checkpoints.findIn(tmp));
        try (Checkpoint c = Checkpoints.open(tmp); SafetensorsFile st = SafetensorsFile.open(T5.resolve("model.safetensors"))) {
            assertInstanceOf(PytorchCheckpoint.class, c);
            assertSameTensors(c, st);
        }
        Path pth = tmp.resolve("weights.pth");
        Files.move(tmp.resolve("pytorch_model.bin"), pth);
        assertEquals(pth, Checkpoints.findIn(tmp));
    }
}
