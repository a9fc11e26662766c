package org.uso4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.uso4j.core.DType;
import org.uso4j.core.FloatFormats;
import org.uso4j.core.Quantize;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;

/** Load-time quantization: which tensors convert, parallel = serial bytes, store and checkpoint views. */
class QuantizedStoreTest {
    private static Tensor randn(int rows, int cols, long seed) {
        Random r = new Random(seed);
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian() * 0.05f;
        return Tensor.wrap(v, rows, cols);
    }

    @Test
    void followsConvertPyRules() {
        Shape big = Shape.of(512, 256);
        DType q = DType.Q8_0;
        assertTrue(QuantizedStore.converts("double_blocks.0.img_attn.qkv.weight", DType.BF16, big, q));
        assertTrue(QuantizedStore.converts("single_transformer_blocks.3.proj_out.weight", DType.F32, big, q));
        assertFalse(QuantizedStore.converts("double_blocks.0.img_attn.qkv.bias", DType.BF16, Shape.of(512), q), "1-D");
        assertFalse(QuantizedStore.converts("double_blocks.0.img_attn.norm.query_norm.scale", DType.BF16, Shape.of(128), q));
        assertFalse(QuantizedStore.converts("img_in.weight", DType.BF16, big, q), "embedder");
        assertFalse(QuantizedStore.converts("model.diffusion_model.final_layer.linear.weight", DType.BF16, big, q));
        assertFalse(QuantizedStore.converts("time_in.in_layer.weight", DType.BF16, big, q));
        assertFalse(QuantizedStore.converts("proj_out.weight", DType.BF16, big, q), "diffusers final layer");
        assertFalse(QuantizedStore.converts("blocks.0.w", DType.BF16, Shape.of(32, 32), q), "at most 1024 elements");
        assertFalse(QuantizedStore.converts("blocks.0.w", DType.BF16, Shape.of(64, 300), DType.Q4_K), "rows not whole super-blocks");
        assertTrue(QuantizedStore.converts("blocks.0.w", DType.BF16, Shape.of(64, 300), DType.F8_E4M3));
        assertFalse(QuantizedStore.converts("blocks.0.conv.weight", DType.BF16, Shape.of(64, 64, 3, 3), q), "conv kernel");
        assertFalse(QuantizedStore.converts("blocks.0.w", DType.Q4_0, big, q), "already quantized");
        assertFalse(QuantizedStore.converts("ids", DType.I64, big, q));
        assertThrows(IllegalArgumentException.class, () -> QuantizedStore.converts("w", DType.BF16, big, DType.Q5_K));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q8_0", "Q4_K", "F8_E4M3"})
    void parallelConversionHasTheSerialBytes(DType target) {
        Tensor w = randn(203, 512, target.ordinal());
        Tensor serial = switch (target) {
            case Q8_0 -> Quantize.q8_0(w);
            case Q4_K -> Quantize.q4_K(w);
            default -> Quantize.e4m3(w);
        };
        Tensor parallel = QuantizedStore.convert(w, target);
        assertEquals(target, parallel.dtype());
        assertEquals(w.shape(), parallel.shape());
        assertArrayEquals(serial.segment().toArray(ValueLayout.JAVA_BYTE), parallel.segment().toArray(ValueLayout.JAVA_BYTE));
        // and from bf16 storage (the official files)
        Tensor bf = FloatFormats.roundedToBf16(w);
        assertArrayEquals(QuantizedStore.convert(bf, target).segment().toArray(ValueLayout.JAVA_BYTE),
                QuantizedStore.convert(Tensor.of(DType.F32, bf.shape(), bf.segment()), target).segment().toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void storeConvertsWhenTakenAndKeepsTheRest() {
        WeightStore src = new WeightStore();
        Tensor w = randn(96, 256, 1), bias = randn(1, 96, 2).reshape(96), emb = randn(64, 256, 3);
        src.put("blocks.0.linear.weight", "f.safetensors ['blocks.0.linear.weight']", w);
        src.put("blocks.0.linear.bias", "f.safetensors", bias);
        src.put("img_in.weight", "f.safetensors", emb);
        WeightStore q = QuantizedStore.of(src, DType.Q4_K);
        assertEquals(DType.Q4_K, q.entry("blocks.0.linear.weight").orElseThrow().dtype());
        assertTrue(q.entry("blocks.0.linear.weight").orElseThrow().origin().contains("as Q4_K"));
        Tensor taken = q.take("blocks.0.linear.weight", 96, 256);
        assertEquals(DType.Q4_K, taken.dtype());
        assertArrayEquals(Quantize.q4_K(w).segment().toArray(ValueLayout.JAVA_BYTE), taken.segment().toArray(ValueLayout.JAVA_BYTE));
        assertSame(bias, q.take("blocks.0.linear.bias", 96));
        assertSame(emb, q.take("img_in.weight", 64, 256));
        q.requireAllUsed("test");
        assertTrue(q.summary("test").contains("Q4_K×1"), q.summary("test"));
    }

    @Test
    void checkpointViewReportsAndReturnsConvertedTensors(@TempDir Path dir) throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("double_blocks.0.img_mlp.0.weight", FloatFormats.roundedToBf16(randn(128, 64, 4)));
        tensors.put("double_blocks.0.img_mlp.0.bias", randn(1, 128, 5).reshape(128));
        Path file = dir.resolve("w.safetensors");
        SafetensorsWriter.write(file, tensors, Map.of());
        try (Checkpoint c = QuantizedStore.of(Checkpoints.open(file), DType.F8_E4M3)) {
            assertEquals(DType.F8_E4M3, c.entry("double_blocks.0.img_mlp.0.weight").dtype());
            assertEquals(DType.F32, c.entry("double_blocks.0.img_mlp.0.bias").dtype());
            Tensor t = c.tensor("double_blocks.0.img_mlp.0.weight");
            assertEquals(DType.F8_E4M3, t.dtype());
            float[] x = tensors.get("double_blocks.0.img_mlp.0.weight").floats(), y = t.toF32().floats();
            for (int i = 0; i < x.length; i++) assertEquals(x[i], y[i], Math.abs(x[i]) / 16 + 0x1p-10f, "element " + i);
            assertEquals(DType.F32, c.tensor("double_blocks.0.img_mlp.0.bias").dtype());
            assertThrows(RuntimeException.class, () -> c.entry("nope"));
        }
    }
}
