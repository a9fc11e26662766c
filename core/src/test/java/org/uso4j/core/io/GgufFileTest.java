package org.uso4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.core.DType;
import org.uso4j.core.Quantize;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;

/** GGUF reader: a good file round trip, then one hostile or broken file per check. */
class GgufFileTest {
    @TempDir Path dir;

    static final int F32 = 0, Q8_0 = 8;
    static final float[] VALUES = {1, -2, 3.5f, 0, 1e-3f, -7};

    static byte[] f32Bytes(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    static float[] ramp(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (i % 7 - 3) * 0.125f;
        return x;
    }

    /** A valid file: KVs of every kind and an F32 [2,3] and a Q8_0 [2,32] tensor. */
    static TinyGguf good() {
        byte[] q = Quantize.q8_0(Tensor.wrap(ramp(64), 2, 32)).segment().toArray(ValueLayout.JAVA_BYTE);
        return new TinyGguf()
                .kvString("general.architecture", "t5encoder")
                .kvU32("t5encoder.block_count", 2)
                .kvU64("big", -1L)
                .kvF32("eps", 1e-6f)
                .kvBool("tokenizer.ggml.add_space_prefix", true)
                .kvStrings("tokenizer.ggml.tokens", "<pad>", "</s>", "▁the")
                .kvF32Array("tokenizer.ggml.scores", 0f, -1.5f, -2.25f)
                .kvI32Array("tokenizer.ggml.token_type", 3, 3, 1)
                .kvU8Array("tokenizer.ggml.precompiled_charsmap", new byte[]{1, (byte) 200, 3, 4, 5, 6, 7, 8, 9, 10})
                .tensor("a.weight", F32, new long[]{3, 2}, f32Bytes(VALUES))
                .tensor("b.weight", Q8_0, new long[]{32, 2}, q);
    }

    @Test
    void goodFileRoundTrip() throws IOException {
        for (int version : new int[]{2, 3}) {
            TinyGguf g = good();
            g.version = version;
            try (Checkpoint c = Checkpoints.open(g.write(dir, "good" + version + ".gguf"))) {
                GgufFile f = (GgufFile) c;
                assertEquals(version, f.version());
                assertEquals(List.of("a.weight", "b.weight"), List.copyOf(f.names()));
                assertEquals(Shape.of(2, 3), f.entry("a.weight").shape());
                assertEquals(DType.F32, f.entry("a.weight").dtype());
                assertArrayEquals(VALUES, f.tensor("a.weight").toF32().floats());
                assertEquals(DType.Q8_0, f.entry("b.weight").dtype());
                assertEquals(Shape.of(2, 32), f.entry("b.weight").shape());
                float[] b = f.tensor("b.weight").toF32().floats();
                float[] x = ramp(64);
                for (int i = 0; i < 64; i++) assertEquals(x[i], b[i], 0.375f / 127 / 2 + 1e-4f);

                assertEquals("t5encoder", f.kvString("general.architecture"));
                assertEquals(2L, f.kv("t5encoder.block_count"));
                assertEquals(-1L, f.kvLong("big"));
                assertEquals("18446744073709551615", f.metadata().get("big"));
                assertEquals(1e-6f, (float) f.kvDouble("eps"));
                assertEquals("1.0E-6", f.metadata().get("eps"));
                assertTrue(f.kvBool("tokenizer.ggml.add_space_prefix"));
                assertEquals(List.of("<pad>", "</s>", "▁the"), f.kvStrings("tokenizer.ggml.tokens"));
                assertEquals(List.of("<pad>", "</s>", "▁the"), f.kv("tokenizer.ggml.tokens"));
                assertArrayEquals(new float[]{0f, -1.5f, -2.25f}, f.kvFloats("tokenizer.ggml.scores"));
                assertArrayEquals(new long[]{3, 3, 1}, f.kvLongs("tokenizer.ggml.token_type"));
                assertArrayEquals(new byte[]{1, (byte) 200, 3, 4, 5, 6, 7, 8, 9, 10}, f.kvBytes("tokenizer.ggml.precompiled_charsmap"));
                assertEquals(200L, ((List<?>) f.kv("tokenizer.ggml.precompiled_charsmap")).get(1));
                assertEquals("[10 u8 values]", f.metadata().get("tokenizer.ggml.precompiled_charsmap"));
                assertEquals("[<pad>, </s>, ▁the]", f.metadata().get("tokenizer.ggml.tokens"));
                assertEquals("true", f.metadata().get("tokenizer.ggml.add_space_prefix"));
                fails(() -> f.kv("missing"), "no GGUF key 'missing'");
                fails(() -> f.kvLong("general.architecture"), "is string, expected an integer");
                fails(() -> f.kvBytes("tokenizer.ggml.tokens"), "array of string, expected an array of u8/i8");
                fails(() -> f.tensor("nope"), "no tensor 'nope'");
            }
        }
    }

    @Test
    void honoursGeneralAlignment() throws IOException {
        TinyGguf g = new TinyGguf().kvU32("general.alignment", 64);
        g.alignment = 64;
        g.tensor("x", F32, new long[]{1}, f32Bytes(1)).tensor("y", F32, new long[]{2}, f32Bytes(2, 3));
        try (Checkpoint c = Checkpoints.open(g.write(dir, "a64.gguf"))) {
            assertArrayEquals(new float[]{2, 3}, c.tensor("y").toF32().floats());
        }
        // with the default alignment of 32 the same offsets (0, 64) are fine; 48 is not
        TinyGguf bad = new TinyGguf().kvU32("general.alignment", 64);
        bad.tensorInfo("x", 1, new long[]{1}, F32, 32);
        rejects(bad, "not a multiple of the alignment 64");
        rejects(new TinyGguf().kvU32("general.alignment", 48), "general.alignment 48 is not a power of two");
        rejects(new TinyGguf().kvString("general.alignment", "32"), "general.alignment is not a u32");
    }

    // ---- the header ----

    @Test
    void badMagic() throws IOException {
        byte[] b = good().bytes();
        b[0] = 'X';
        rejects(b, "bad magic");
        rejects(new byte[]{'G', 'G'}, "too short for the magic");
        rejects(new byte[0], "too short for the magic");
    }

    @Test
    void unsupportedVersion() throws IOException {
        for (int v : new int[]{0, 1, 4, 0x03000000}) {
            TinyGguf g = good();
            g.version = v;
            rejects(g, v == 1 ? "version 1 is not supported" : "unsupported GGUF version");
        }
        TinyGguf be = good();
        be.version = 0x03000000;
        rejects(be, "big-endian");
    }

    @Test
    void truncatedAnywhere() throws IOException {
        byte[] full = good().bytes();
        // every cut inside the header and the KV/tensor-info section, and into the data
        for (int cut = 4; cut < full.length; cut += cut < 400 ? 1 : 7) {
            TinyGguf g = good();
            g.truncateTo = cut;
            Path p = g.write(dir, "cut.gguf");
            CheckpointException e = assertThrows(CheckpointException.class, () -> GgufFile.open(p).close(), "cut at " + cut);
            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        }
        TinyGguf g = good();
        g.truncateTo = full.length - 1;
        rejects(g, "tensor 'b.weight' data [");
    }

    @Test
    void absurdCounts() throws IOException {
        TinyGguf g = good();
        g.tensorCount = 1L << 62;
        rejects(g, "tensor count 4611686018427387904 is absurd");
        g = good();
        g.tensorCount = -2L; // 2^64 - 2 as u64
        rejects(g, "tensor count 18446744073709551614 is absurd");
        g = good();
        g.kvCount = 1L << 40;
        rejects(g, "key/value count 1099511627776 is absurd");
        g = good();
        g.kvCount = 100L;
        rejects(g, "key/value count 100 is absurd for a");
        g = good();
        g.kvCount = 20L; // plausible for the size, but the tensor infos are read as KVs
        rejects(g, "not a valid GGUF file");
    }

    @Test
    void absurdLengths() throws IOException {
        rejects(new TinyGguf().kvRaw("s", GgufMetadata.STRING, new TinyGguf.ByteBuf().u64(1L << 50).toArray()),
                "has length 1125899906842624 beyond the end of the file");
        rejects(new TinyGguf().kvRaw("a", GgufMetadata.ARRAY, new TinyGguf.ByteBuf().u32(GgufMetadata.UINT32).u64(1L << 40).toArray()),
                "array 'a' has length 1099511627776");
        rejects(new TinyGguf().kvRaw("a", GgufMetadata.ARRAY, new TinyGguf.ByteBuf().u32(GgufMetadata.STRING).u64(-1).toArray()),
                "array 'a' has length 18446744073709551615");
        rejects(new TinyGguf().kvRaw("a", GgufMetadata.ARRAY, new TinyGguf.ByteBuf().u32(GgufMetadata.ARRAY).u64(1).toArray()),
                "array of arrays");
    }

    @Test
    void badKeyValues() throws IOException {
        rejects(new TinyGguf().kvRaw("k", 13, new byte[8]), "key 'k' has unknown value type 13");
        rejects(new TinyGguf().kvRaw("k", GgufMetadata.BOOL, new byte[]{2}), "bool with value 2");
        rejects(new TinyGguf().kvU32("k", 1).kvU32("k", 2), "key 'k' appears twice");
        rejects(new TinyGguf().kvRaw("k", GgufMetadata.ARRAY, new TinyGguf.ByteBuf().u32(77).u64(0).toArray()), "unknown value type 77");
        byte[] badKey = new TinyGguf.ByteBuf().u32(GgufFile.MAGIC).u32(3).u64(0).u64(1).u64(2).u8(0xC3).u8(0x28)
                .u32(GgufMetadata.UINT8).u8(1).toArray();
        rejects(badKey, "not valid UTF-8");
    }

    // ---- tensor infos ----

    @Test
    void offsetsOutOfRangeMisalignedOrOverlapping() throws IOException {
        rejects(good().tensorInfo("c", 1, new long[]{8}, F32, 1L << 40), "tensor 'c' data [1099511627776");
        rejects(good().tensorInfo("c", 1, new long[]{8}, F32, -32), "tensor 'c' offset 18446744073709551584");
        rejects(good().tensorInfo("c", 1, new long[]{8}, F32, 4), "tensor 'c' offset 4 is not a multiple of the alignment 32");
        rejects(good().tensorInfo("c", 1, new long[]{8}, F32, 0), "overlap");
        rejects(good().tensorInfo("a.weight", 1, new long[]{1}, F32, 0), "tensor 'a.weight' is listed twice");
    }

    @Test
    void unknownOrUnsupportedType() throws IOException {
        rejects(new TinyGguf().tensorInfo("c", 1, new long[]{256}, 16, 0), "unknown or unsupported ggml type 16 (IQ2_XXS)");
        rejects(new TinyGguf().tensorInfo("c", 1, new long[]{32}, 999, 0), "unknown or unsupported ggml type 999");
        rejects(new TinyGguf().tensorInfo("c", 1, new long[]{32}, -1, 0), "ggml type 4294967295");
    }

    @Test
    void absurdDimensions() throws IOException {
        rejects(new TinyGguf().tensorInfo("c", 0, new long[0], F32, 0), "tensor 'c' has 0 dimensions");
        rejects(new TinyGguf().tensorInfo("c", 5, new long[]{1, 1, 1, 1, 1}, F32, 0), "tensor 'c' has 5 dimensions");
        rejects(new TinyGguf().tensorInfo("c", -1, new long[0], F32, 0), "has 4294967295 dimensions");
        rejects(new TinyGguf().tensorInfo("c", 2, new long[]{4, -1}, F32, 0), "absurd dimension ne[1] = 18446744073709551615");
        rejects(new TinyGguf().tensorInfo("c", 2, new long[]{4, 1L << 31}, F32, 0), "absurd dimension ne[1] = 2147483648");
        rejects(new TinyGguf().tensorInfo("c", 3, new long[]{1 << 30, 1 << 30, 1 << 30}, F32, 0), "absurdly large");
        rejects(new TinyGguf().tensorInfo("c", 2, new long[]{48, 2}, Q8_0, 0), "rows of 48 elements, not a multiple of the block size 32");
    }

    // ---- helpers ----

    private void rejects(TinyGguf g, String fragment) throws IOException { rejects(g.bytes(), fragment); }

    private void rejects(byte[] bytes, String fragment) throws IOException {
        Path p = dir.resolve("bad.gguf");
        Files.write(p, bytes);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(p).close());
        assertTrue(e.getMessage().startsWith(p.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }

    private static void fails(Runnable r, String fragment) {
        CheckpointException e = assertThrows(CheckpointException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }

}
