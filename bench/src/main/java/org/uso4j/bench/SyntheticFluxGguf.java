package org.uso4j.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.uso4j.core.DType;
import org.uso4j.core.Shape;
import org.uso4j.model.flux.Flux;
import org.uso4j.model.flux.FluxConfig;

/**
 * Writes a real-size FLUX transformer as a GGUF file laid out like city96's FLUX.1-dev GGUFs (BFL tensor names,
 * matrices quantized, vectors kept F32), with meaningless but finite values: for memory measurements without the
 * real weights. The tensor list is whatever {@link Flux} takes for {@code cfg}, so it cannot drift from the model.
 * Streams block by block: writing a 12 GB file needs a few MB of memory.
 */
public final class SyntheticFluxGguf {
    private static final int GGUF_MAGIC = 0x46554747; // "GGUF" little-endian
    private static final int ALIGNMENT = 32;
    private static final int GGUF_TYPE_STRING = 8;

    private SyntheticFluxGguf() {}

    /** Every tensor FLUX takes for {@code cfg}, in construction order, with its shape. */
    public static Map<String, int[]> tensorShapes(FluxConfig cfg) {
        return SyntheticSafetensors.shapesOf(s -> new Flux(s, cfg));
    }

    /** The stored type of one tensor: {@code quant} for matrices whose rows are whole blocks, F32 otherwise. */
    static DType storedType(int[] shape, DType quant) {
        return shape.length == 2 && shape[1] % quant.blockSize() == 0 ? quant : DType.F32;
    }

    /** FLUX.1-dev as {@code format} (q8_0 or f32). */
    public static long writeDev(Path file, WeightFormat format) throws IOException {
        return write(file, FluxConfig.dev(), format.dtype());
    }

    /** Writes FLUX.1-dev-shaped {@code quant} (Q8_0 or F32 for now) weights to {@code file}; returns its size in bytes. */
    public static long write(Path file, FluxConfig cfg, DType quant) throws IOException {
        if (quant != DType.Q8_0 && quant != DType.F32) throw new IllegalArgumentException("synthetic GGUF supports q8_0 and f32, not " + quant);
        Map<String, int[]> shapes = tensorShapes(cfg);
        ByteBuffer head = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(GGUF_MAGIC).putInt(3).putLong(shapes.size()).putLong(1);
        putString(head, "general.architecture");
        head.putInt(GGUF_TYPE_STRING);
        putString(head, "flux");
        long offset = 0;
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            int[] s = e.getValue();
            DType t = storedType(s, quant);
            putString(head, e.getKey());
            head.putInt(s.length);
            for (int i = s.length - 1; i >= 0; i--) head.putLong(s[i]); // ne[0] is the innermost dimension
            head.putInt(t.ggmlType()).putLong(offset);
            long bytes = t.byteSize(Shape.of(s).numel());
            sizes.put(e.getKey(), bytes);
            offset = align(offset + bytes);
        }
        while (head.position() % ALIGNMENT != 0) head.put((byte) 0);
        head.flip();

        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        ByteBuffer q8 = pattern(DType.Q8_0), f32 = pattern(DType.F32);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeFully(ch, head);
            long dataStart = ch.position(), at = 0;
            for (Map.Entry<String, int[]> e : shapes.entrySet()) {
                ByteBuffer src = storedType(e.getValue(), quant) == DType.Q8_0 ? q8 : f32;
                long left = sizes.get(e.getKey());
                while (left > 0) {
                    ByteBuffer b = src.duplicate();
                    b.limit((int) Math.min(b.capacity(), left));
                    left -= b.remaining();
                    writeFully(ch, b);
                }
                at = align(ch.position() - dataStart);
                ch.position(dataStart + at);
            }
            if (ch.size() < dataStart + at) writeFully(ch, ByteBuffer.allocate((int) (dataStart + at - ch.size())));
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return Files.size(file);
    }

    /**
     * About 1 MB of valid data repeated through every tensor: Q8_0 blocks with scale 1/4096 and random int8
     * quants (weights within ±0.03), or float32 values 0.01 (biases, norm scales: finite and harmless).
     */
    private static ByteBuffer pattern(DType t) {
        int unit = t.bytesPerBlock(), n = (1 << 20) / unit * unit;
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom r = new SplittableRandom(7);
        while (b.hasRemaining()) {
            if (t == DType.Q8_0) {
                b.putShort(Float.floatToFloat16(1f / 4096));
                for (int i = 0; i < 32; i++) b.put((byte) r.nextInt(-127, 128));
            } else {
                b.putFloat(0.01f);
            }
        }
        return b.flip();
    }

    private static long align(long x) { return (x + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT; }

    private static void putString(ByteBuffer b, String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        b.putLong(u.length).put(u);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }
}
