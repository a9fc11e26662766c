package org.uso4j.core.backend;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import org.uso4j.core.DType;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.cpu.Isa;

/**
 * A fixed workload of float32 GEMM (packed and few-row paths, dense and stored weights), batched matmul, conv2d,
 * attention (float tiles with a causal mask, double tiles with a bias), the norms, softmax and every activation on
 * the {@link CpuBackend}, reduced to a
 * SHA-256 of the outputs' bits. {@link WidthIndependenceTest} runs it in JVMs of other vector widths; its
 * {@code main} prints {@code <isa>|<digest>}.
 */
final class WidthProbe {
    private WidthProbe() {}

    public static void main(String[] args) {
        System.out.println(Isa.HOST.describe() + "|" + digest(Integer.parseInt(args[0])));
    }

    static String digest(int threads) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Random r = new Random(11);
        try (CpuBackend cpu = new CpuBackend(threads)) {
            for (DType type : new DType[] {DType.F32, DType.BF16, DType.Q8_0, DType.Q4_K}) {
                int in = type == DType.Q4_K ? 512 : type == DType.Q8_0 ? 320 : 300;
                Tensor w = type.blockSize() > 1 ? Twins.randomBlocks(type, r, 77, in) : Twins.stored(type, Twins.randn(r, 77, in));
                for (int rows : new int[] {1, 3, 7, 40, 131}) {
                    Tensor x = Twins.randn(r, rows, in), b = Twins.randn(r, 77);
                    add(sha, cpu.linear(x, w, b));
                }
            }
            add(sha, cpu.matmul(Twins.randn(r, 2, 29, 67), Twins.randn(r, 2, 67, 45), false));
            add(sha, cpu.matmul(Twins.randn(r, 2, 29, 67), Twins.randn(r, 2, 45, 67), true));
            add(sha, cpu.conv2d(Twins.randn(r, 1, 5, 13, 11), Twins.randn(r, 7, 5, 3, 3), Twins.randn(r, 7), 1, new int[] {1, 1, 1, 1}));
            // bounded logits (float tiles), causal; then unbounded logits (double tiles) with a bias
            Tensor q = Twins.scaled(Twins.randn(r, 1, 3, 301, 40), 0.1f), k = Twins.scaled(Twins.randn(r, 1, 3, 301, 40), 0.1f);
            add(sha, cpu.attention(q, k, Twins.randn(r, 1, 3, 301, 24), 0.15f, null, true));
            Tensor qb = Twins.scaled(Twins.randn(r, 1, 2, 90, 33), 4f), kb = Twins.scaled(Twins.randn(r, 1, 2, 150, 33), 4f);
            add(sha, cpu.attention(qb, kb, Twins.randn(r, 1, 2, 150, 17), 1f, Twins.randn(r, 1, 2, 90, 150), false));
            // reductions and pointwise ops
            Tensor rows = Twins.randn(r, 37, 3 * 257);
            add(sha, cpu.layerNorm(rows, Twins.randn(r, 3 * 257), Twins.randn(r, 3 * 257), 1e-6f));
            add(sha, cpu.rmsNorm(rows, Twins.randn(r, 3 * 257), 1e-6f));
            add(sha, cpu.softmax(Twins.scaled(rows, 3f)));
            add(sha, cpu.groupNorm(Twins.randn(r, 2, 8, 19, 23), 4, Twins.randn(r, 8), Twins.randn(r, 8), 1e-6f));
            for (Activation act : Activation.values()) add(sha, cpu.activate(rows, act));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void add(MessageDigest sha, Tensor t) {
        float[] f = t.floats();
        ByteBuffer buf = ByteBuffer.allocate(4 * f.length);
        for (float v : f) buf.putInt(Float.floatToRawIntBits(v));
        sha.update(buf.array());
    }
}
