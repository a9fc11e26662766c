package org.uso4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.core.Tensor;

/** The strict loader's errors name the key, the file, and expected vs found. */
class WeightStoreTest {
    @TempDir Path dir;

    private Checkpoint open() throws IOException {
        Path p = dir.resolve("net.safetensors");
        Files.write(p, SafetensorsFileTest.file("""
                {"lin.weight": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
                 "lin.bias": {"dtype": "F32", "shape": [2], "data_offsets": [24, 32]},
                 "ids": {"dtype": "I64", "shape": [1], "data_offsets": [32, 40]},
                 "extra.weight": {"dtype": "F32", "shape": [1], "data_offsets": [40, 44]}}""", new byte[44]));
        return Checkpoints.open(p);
    }

    @Test
    void everyTakeGoesThroughTheAdopterOncePerKeyAndHostTakesDoNot() throws IOException {
        try (Checkpoint c = open()) {
            java.util.List<String> adopted = new java.util.ArrayList<>();
            WeightStore w = new WeightStore().addAll(c).adoptWith(t -> {
                adopted.add(t.shape().toString());
                return t.reshape(-1);
            });
            Tensor first = w.take("lin.weight", 2, 3);
            assertEquals(java.util.List.of("[2, 3]"), adopted);
            assertEquals(6, first.dim(0), "the adopter's tensor is what take returns");
            org.junit.jupiter.api.Assertions.assertSame(first, w.take("lin.weight", 2, 3), "a second take does not adopt again");
            Tensor bias = w.takeHost("lin.bias", 2);
            assertEquals(1, adopted.size(), "takeHost gives the stored tensor, not adopted");
            assertEquals(2, bias.dim(0));
            assertEquals(1, bias.rank());
            w.adopt(bias.reshape(1, 2));
            assertEquals(java.util.List.of("[2, 3]", "[1, 2]"), adopted, "a derived weight is adopted after deriving");
            w.skip("ids");
            w.take("extra.weight", 1);
            w.requireAllUsed("net");
        }
    }

    @Test
    void missingKeyNamesTheKeyTheShapeAndTheFile() throws IOException {
        try (Checkpoint c = open()) {
            WeightStore w = new WeightStore().addAll(c);
            CheckpointException e = assertThrows(CheckpointException.class, () -> w.take("lin.scale", 2));
            assertTrue(e.getMessage().contains("missing tensor 'lin.scale' (expected shape [2])"), e.getMessage());
            assertTrue(e.getMessage().contains("net.safetensors"), e.getMessage());
        }
    }

    @Test
    void wrongShapeSaysExpectedAndFound() throws IOException {
        try (Checkpoint c = open()) {
            WeightStore w = new WeightStore().addAll(c);
            CheckpointException e = assertThrows(CheckpointException.class, () -> w.take("lin.weight", 3, 2));
            assertTrue(e.getMessage().contains("wrong shape for 'lin.weight': expected [3, 2], found [2, 3] (F32)"), e.getMessage());
            assertTrue(e.getMessage().contains("net.safetensors ['lin.weight']"), e.getMessage());
            assertThrows(CheckpointException.class, () -> w.take("lin.weight", 2));       // rank differs
            Tensor t = w.take("lin.weight", -1, 3);                                     // -1 = any size
            assertEquals(6, t.numel());
        }
    }

    @Test
    void integerTensorIsNotAWeight() throws IOException {
        try (Checkpoint c = open()) {
            WeightStore w = new WeightStore().addAll(c);
            CheckpointException e = assertThrows(CheckpointException.class, () -> w.take("ids", 1));
            assertTrue(e.getMessage().contains("'ids' has integer type I64"), e.getMessage());
        }
    }

    @Test
    void unusedKeysAreListed() throws IOException {
        try (Checkpoint c = open()) {
            WeightStore w = new WeightStore().addAll(c);
            w.take("lin.weight", 2, 3);
            w.takeIfPresent("lin.bias", 2);
            assertTrue(w.takeIfPresent("lin.nothing", 2).isEmpty());
            w.skip("ids");
            CheckpointException e = assertThrows(CheckpointException.class, () -> w.requireAllUsed("Tiny"));
            assertTrue(e.getMessage().contains("1 unexpected tensor(s) not used by Tiny"), e.getMessage());
            assertTrue(e.getMessage().contains("['extra.weight']"), e.getMessage());
            w.skip("extra.weight");
            w.requireAllUsed("Tiny");
            assertTrue(w.summary("Tiny").startsWith("Tiny: 4 tensors"), w.summary("Tiny"));
        }
    }

    @Test
    void aKeyGivenTwiceNamesBothOrigins() throws IOException {
        try (Checkpoint c = open()) {
            WeightStore w = new WeightStore().addAll(c);
            CheckpointException e = assertThrows(CheckpointException.class, () -> w.put("lin.bias", "lora.safetensors ['x']", Tensor.zeros(2)));
            assertTrue(e.getMessage().contains("tensor 'lin.bias' is given twice"), e.getMessage());
            assertTrue(e.getMessage().contains("lora.safetensors ['x']"), e.getMessage());
        }
    }

    @Test
    void ggufTensorsLoadThroughTheSameStore() throws IOException {
        Path p = new TinyGguf().tensor("lin.weight", 0, new long[]{3, 2}, GgufFileTest.f32Bytes(1, 2, 3, 4, 5, 6)).write(dir, "net.gguf");
        try (Checkpoint c = Checkpoints.open(p)) {
            WeightStore w = new WeightStore().addAll(c);
            assertEquals(6, w.take("lin.weight", 2, 3).numel());
            w.requireAllUsed("Tiny");
        }
    }
}
