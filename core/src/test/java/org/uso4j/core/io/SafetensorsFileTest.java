package org.uso4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.core.DType;
import org.uso4j.core.Shape;

/** Safetensors and sharded-index readers: a good round trip, then one broken or hostile file per check. */
class SafetensorsFileTest {
    @TempDir Path dir;

    /** 8-byte little-endian header length, the header, the data. */
    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
    }

    static byte[] f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    static final String GOOD_HEADER = """
            {"__metadata__": {"format": "pt"},
             "w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
             "b": {"dtype": "BF16", "shape": [2], "data_offsets": [16, 20]},
             "e": {"dtype": "F8_E4M3", "shape": [0], "data_offsets": [20, 20]}}""";

    static byte[] goodData() {
        byte[] d = new byte[20];
        System.arraycopy(f32(1, 2, 3, 4), 0, d, 0, 16);
        d[16] = (byte) 0x80; d[17] = 0x3F; // bf16 1.0
        d[18] = 0x00; d[19] = (byte) 0xC0; // bf16 -2.0
        return d;
    }

    @Test
    void goodFileRoundTrip() throws IOException {
        try (Checkpoint c = Checkpoints.open(write("good.safetensors", file(GOOD_HEADER, goodData())))) {
            assertEquals(List.of("w", "b", "e"), List.copyOf(c.names()));
            assertEquals(Map.of("format", "pt"), c.metadata());
            assertEquals(Shape.of(2, 2), c.entry("w").shape());
            assertArrayEquals(new float[]{1, 2, 3, 4}, c.tensor("w").toF32().floats());
            assertEquals(DType.BF16, c.entry("b").dtype());
            assertArrayEquals(new float[]{1, -2}, c.tensor("b").toF32().floats());
            assertEquals(0, c.tensor("e").numel());
            rejects(() -> c.tensor("x"), "no tensor 'x'");
        }
    }

    @Test
    void truncated() throws IOException {
        rejects(new byte[]{1, 2, 3}, "shorter than the 8-byte header length");
        rejects(new byte[0], "shorter than the 8-byte header length");
        byte[] full = file(GOOD_HEADER, goodData());
        rejects(java.util.Arrays.copyOf(full, full.length - 1), "tensor 'b' data_offsets [16, 20] are outside the data section (19 bytes)");
        rejects(java.util.Arrays.copyOf(full, 20), "goes beyond the end of the file");
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        byte[] b = file(GOOD_HEADER, goodData());
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1000);
        rejects(b, "header length 1000 goes beyond the end of the file");
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1);
        rejects(b, "header length 18446744073709551615 is out of range");
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        rejects(b, "is out of range");
    }

    @Test
    void invalidJsonOrNotAnObject() throws IOException {
        rejects(file("{\"w\": {\"dtype\": ", new byte[0]), "header is not valid JSON");
        rejects(file("[1, 2, 3]", new byte[0]), "header is not a JSON object");
        rejects(file("\"text\"", new byte[0]), "header is not a JSON object");
        rejects(file("{} {}", new byte[0]), "trailing data");
        rejects(file("{\"w\": 5}", new byte[0]), "entry 'w' is not an object");
        rejects(file("{\"__metadata__\": {\"a\": 1}}", new byte[0]), "__metadata__.a is not a string");
        rejects(file("{\"w\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", new byte[4]), "tensor 'w' has no dtype");
        rejects(file("{\"w\": {\"dtype\": \"F32\", \"data_offsets\": [0, 4]}}", new byte[4]), "tensor 'w' has no shape array");
        rejects(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}}", new byte[4]), "no valid data_offsets");
    }

    @Test
    void offsetsOutOfRangeOrOverlapping() throws IOException {
        rejects(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", new byte[4]), "outside the data section (4 bytes)");
        rejects(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [-4, 0]}}", new byte[4]), "outside the data section");
        rejects(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [8, 4]}}", new byte[8]), "outside the data section");
        rejects(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 99999999999999999999]}}", new byte[8]), "no valid data_offsets");
        rejects(file("""
                {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                 "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}""", new byte[12]), "tensors 'a' and 'b' overlap");
    }

    @Test
    void spanNotMatchingShapeTimesDtype() throws IOException {
        rejects(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}", new byte[8]),
                "tensor 'w' data_offsets span 8 bytes but F32 [3] needs 12");
        rejects(file("{\"w\": {\"dtype\": \"BF16\", \"shape\": [2, 2], \"data_offsets\": [0, 16]}}", new byte[16]), "needs 8");
    }

    @Test
    void unknownDtype() throws IOException {
        rejects(file("{\"w\": {\"dtype\": \"F7\", \"shape\": [1], \"data_offsets\": [0, 1]}}", new byte[1]), "tensor 'w' has unknown dtype 'F7'");
        rejects(file("{\"w\": {\"dtype\": \"Q8_0\", \"shape\": [32], \"data_offsets\": [0, 34]}}", new byte[34]), "unknown dtype 'Q8_0'");
        rejects(file("{\"w\": {\"dtype\": 3, \"shape\": [1], \"data_offsets\": [0, 4]}}", new byte[4]), "tensor 'w' has no dtype");
    }

    @Test
    void absurdDimensions() throws IOException {
        rejects(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", new byte[4]), "absurd dimension -1");
        rejects(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [2147483648], \"data_offsets\": [0, 4]}}", new byte[4]), "absurd dimension 2147483648");
        rejects(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}", new byte[4]), "absurd dimension 1.5");
        rejects(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [\"2\"], \"data_offsets\": [0, 4]}}", new byte[4]), "absurd dimension");
        rejects(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [2147483647, 2147483647, 2147483647], \"data_offsets\": [0, 4]}}", new byte[4]),
                "tensor 'w' is absurdly large");
        rejects(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [1,1,1,1,1,1,1,1,1], \"data_offsets\": [0, 4]}}", new byte[4]), "rank 9");
    }

    @Test
    void duplicateKeys() throws IOException {
        rejects(file("""
                {"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                 "w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}""", new byte[8]), "Duplicate field 'w'");
    }

    // ---- sharded index ----

    private Path shards(String index) throws IOException {
        write("m-1.safetensors", file("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", f32(1)));
        write("m-2.safetensors", file("{\"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", f32(2, 3)));
        return write("m.safetensors.index.json", index.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shardedIndexRoundTrip() throws IOException {
        Path idx = shards("{\"metadata\": {\"total_size\": 12}, \"weight_map\": {\"a\": \"m-1.safetensors\", \"b\": \"m-2.safetensors\"}}");
        try (Checkpoint c = Checkpoints.open(dir)) { // the folder resolves to its one index
            assertEquals(idx.toString(), c.source());
            assertEquals(List.of("a", "b"), List.copyOf(c.names()));
            assertArrayEquals(new float[]{2, 3}, c.tensor("b").toF32().floats());
            assertEquals("12", c.metadata().get("total_size"));
        }
    }

    @Test
    void shardedIndexMissingShard() throws IOException {
        Path idx = shards("{\"weight_map\": {\"a\": \"m-1.safetensors\", \"b\": \"m-3.safetensors\"}}");
        rejectsOpen(idx, "shard 'm-3.safetensors' is missing");
    }

    @Test
    void shardedIndexKeyListedButAbsent() throws IOException {
        Path idx = shards("{\"weight_map\": {\"a\": \"m-1.safetensors\", \"b\": \"m-2.safetensors\", \"c\": \"m-2.safetensors\"}}");
        rejectsOpen(idx, "tensor 'c' is listed in shard 'm-2.safetensors' but not found there");
    }

    @Test
    void shardedIndexExtraKeyInShard() throws IOException {
        Path idx = shards("{\"weight_map\": {\"a\": \"m-1.safetensors\", \"b\": \"m-2.safetensors\"}}");
        write("m-2.safetensors", file("""
                {"b": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                 "c": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}}""", f32(2, 3, 4)));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(idx).close());
        assertTrue(e.getMessage().contains("m-2.safetensors: tensor 'c' is not listed in m.safetensors.index.json"), e.getMessage());
    }

    @Test
    void shardedIndexBadShardNameOrNoMap() throws IOException {
        rejectsOpen(shards("{\"weight_map\": {\"a\": \"../m-1.safetensors\"}}"), "names an invalid shard '../m-1.safetensors'");
        rejectsOpen(shards("{\"weight_map\": {\"a\": \"/etc/passwd\"}}"), "names an invalid shard");
        rejectsOpen(shards("{\"metadata\": {}}"), "shard index has no \"weight_map\" object");
        rejectsOpen(shards("not json"), "cannot read shard index");
    }

    // ---- helpers ----

    private void rejects(byte[] bytes, String fragment) throws IOException {
        rejectsOpen(write("bad.safetensors", bytes), fragment);
    }

    private static void rejectsOpen(Path p, String fragment) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(p).close());
        assertTrue(e.getMessage().contains(p.getFileName().toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }

    private static void rejects(Runnable r, String fragment) {
        CheckpointException e = assertThrows(CheckpointException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }
}
