package org.uso4j.vulkan.ops;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.uso4j.core.DType;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.TestDevice;
import org.uso4j.vulkan.VulkanContext;

/**
 * {@link Embedding} against ScalarBackend.embedding, bit for bit: the rows are decoded by shaders/weights.glsl, so this
 * is also the exactness test of every weight decoder (random bytes: every code of the 8- and 16-bit float types,
 * NaN and infinities included, every quant pattern, any finite block scale).
 */
class EmbeddingTest {
    private static final ScalarBackend SCALAR = new ScalarBackend();

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16", "F8_E4M3", "F8_E5M2", "Q4_0", "Q4_1", "Q5_0", "Q5_1",
            "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void rowsDecodeExactlyAsCore(DType type) {
        VulkanContext ctx = TestDevice.context();
        Random r = new Random(20 + type.ordinal());
        int dim = type.blockSize() == 1 ? 257 : type.blockSize() * 3, vocab = type.blockSize() == 256 ? 24 : 97;
        Tensor table = TestWeights.anyBits(type, r, vocab, dim);
        long[] ids = new long[41];
        for (int i = 0; i < ids.length; i++) ids[i] = r.nextInt(vocab);
        ids[0] = vocab - 1;
        ids[1] = 0;
        float[] want = SCALAR.embedding(table, ids).floats();
        Buffer t = TestWeights.upload(ctx, table);
        Buffer o = new Embedding(ctx).embedding(t, type, vocab, dim, ids);
        float[] got = ctx.transfers().readFloats(o, ids.length * dim);
        for (int i = 0; i < want.length; i++) {
            int w = Float.floatToRawIntBits(want[i]), g = Float.floatToRawIntBits(got[i]);
            if (w != g && !(Float.isNaN(want[i]) && Float.isNaN(got[i]))) {
                fail(type + ": row " + i / dim + " (id " + ids[i / dim] + ") element " + i % dim + " is " + got[i]
                        + " (0x" + Integer.toHexString(g) + "), core decodes " + want[i] + " (0x" + Integer.toHexString(w) + ")");
            }
        }
        ctx.heap().free(t);
        ctx.heap().free(o);
    }

    @Test
    void everyHalfAndFloat8CodeDecodesExactly() {
        VulkanContext ctx = TestDevice.context();
        for (DType type : new DType[] {DType.F16, DType.BF16, DType.F8_E4M3, DType.F8_E5M2}) {
            int codes = type.bytesPerBlock() == 2 ? 65536 : 256, dim = 256;
            byte[] bytes = new byte[codes * type.bytesPerBlock()];
            for (int c = 0; c < codes; c++) {
                bytes[c * type.bytesPerBlock()] = (byte) c;
                if (type.bytesPerBlock() == 2) bytes[2 * c + 1] = (byte) (c >>> 8);
            }
            Tensor table = Tensor.of(type, org.uso4j.core.Shape.of(codes / dim, dim), java.lang.foreign.MemorySegment.ofArray(bytes));
            long[] ids = new long[codes / dim];
            for (int i = 0; i < ids.length; i++) ids[i] = i;
            float[] want = SCALAR.embedding(table, ids).floats();
            Buffer t = TestWeights.upload(ctx, table);
            Buffer o = new Embedding(ctx).embedding(t, type, codes / dim, dim, ids);
            float[] got = ctx.transfers().readFloats(o, codes);
            for (int c = 0; c < codes; c++) {
                boolean same = Float.floatToRawIntBits(want[c]) == Float.floatToRawIntBits(got[c]) || (Float.isNaN(want[c]) && Float.isNaN(got[c]));
                assertTrue(same, type + " code 0x" + Integer.toHexString(c) + ": " + got[c] + ", core " + want[c]);
            }
            ctx.heap().free(t);
            ctx.heap().free(o);
        }
    }

    @Test
    void idsOnTheDeviceAndBadIds() {
        VulkanContext ctx = TestDevice.context();
        Random r = new Random(9);
        Tensor table = TestWeights.weights(DType.F32, r, 5, 3);
        Buffer t = TestWeights.upload(ctx, table);
        Embedding emb = new Embedding(ctx);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> emb.embedding(t, DType.F32, 5, 3, new long[] {1, 5}));
        assertTrue(e.getMessage().contains("id 5 outside the table of 5 rows"), e.getMessage());
        Buffer ids = ctx.transfers().upload(java.lang.foreign.MemorySegment.ofArray(new int[] {4, -1, 0}));
        Buffer o = emb.embedding(t, DType.F32, 5, 3, ids, 3);
        float[] got = ctx.transfers().readFloats(o, 9), w = table.floats();
        assertArrayEquals(new float[] {w[12], w[13], w[14]}, java.util.Arrays.copyOfRange(got, 0, 3));
        for (int i = 3; i < 6; i++) assertTrue(Float.isNaN(got[i]), "a bad device-side id gives NaN, got " + got[i]);
        assertArrayEquals(new float[] {w[0], w[1], w[2]}, java.util.Arrays.copyOfRange(got, 6, 9));
        for (Buffer b : new Buffer[] {t, ids, o}) ctx.heap().free(b);
    }
}
