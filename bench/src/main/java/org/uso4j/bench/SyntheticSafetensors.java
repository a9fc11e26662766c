package org.uso4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.uso4j.core.DType;
import org.uso4j.core.FloatFormats;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;
import org.uso4j.core.io.WeightStore;

/**
 * Real-size safetensors files with meaningless but tame values, written as a stream (a few MB of memory for a
 * file of any size): for memory measurements without the real weights. The tensor list comes from running a
 * network's own loader against a recording store ({@link #shapesOf}), so it cannot drift from the model.
 *
 * <p>Values: 1-D tensors whose name says norm/scale hold 1 (so activations keep their size), other 1-D tensors
 * 0.01, matrices a repeated block of N(0, 1)/√fan_in values.
 */
public final class SyntheticSafetensors {
    private SyntheticSafetensors() {}

    /** Every tensor {@code build} asks its store for, in order, with its shape. */
    public static Map<String, int[]> shapesOf(Consumer<WeightStore> build) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        build.accept(scratchStore(shapes));
        return shapes;
    }

    /**
     * A store handing out zeros for whatever is asked (float32 views of one shared, growing buffer: networks built
     * on it are for their structure only), recording each key and shape in {@code into} (may be null).
     */
    public static WeightStore scratchStore(Map<String, int[]> into) {
        MemorySegment[] scratch = {MemorySegment.NULL};
        return WeightStore.generated((key, shape) -> {
            if (into != null) into.put(key, shape.clone());
            long bytes = 4 * Shape.of(shape).numel();
            if (scratch[0].byteSize() < bytes) scratch[0] = Arena.ofAuto().allocate(bytes);
            return Tensor.of(DType.F32, Shape.of(shape), scratch[0].asSlice(0, bytes));
        });
    }

    /** Which dtype a tensor is stored in. */
    @FunctionalInterface
    public interface Types {
        DType of(String key, int[] shape);

        /** Matrices (rank >= 2) in {@code matrices}, everything else in {@code vectors}. */
        static Types matricesAs(DType matrices, DType vectors) { return (k, s) -> s.length >= 2 ? matrices : vectors; }
    }

    /** Writes {@code shapes} stored as {@code types} to {@code file} (atomically); returns its size in bytes. */
    public static long write(Path file, Map<String, int[]> shapes, Types types, Map<String, String> metadata) throws IOException {
        ObjectMapper om = new ObjectMapper();
        ObjectNode header = om.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        Map<String, DType> stored = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            DType t = types.of(e.getKey(), e.getValue());
            stored.put(e.getKey(), t);
            long bytes = t.byteSize(Shape.of(e.getValue()).numel());
            ObjectNode n = header.putObject(e.getKey());
            n.put("dtype", safetensorsName(t));
            var shape = n.putArray("shape");
            for (int d : e.getValue()) shape.add(d);
            n.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = om.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();

        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeFully(ch, head);
            for (Map.Entry<String, int[]> e : shapes.entrySet()) {
                int[] s = e.getValue();
                DType t = stored.get(e.getKey());
                long n = Shape.of(s).numel();
                boolean one = s.length == 1 && (e.getKey().contains("norm") || e.getKey().endsWith("scale"));
                double std = s.length >= 2 ? 1 / Math.sqrt((double) n / s[0]) : 0;
                ByteBuffer src = pattern(t, one ? 1f : s.length >= 2 ? 0f : 0.01f, std);
                long left = t.byteSize(n);
                while (left > 0) {
                    ByteBuffer b = src.duplicate();
                    b.limit((int) Math.min(b.capacity(), left));
                    left -= b.remaining();
                    writeFully(ch, b);
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return Files.size(file);
    }

    /** About 1 MB of {@code mean + std·N(0, 1)} values in {@code t}, to repeat. */
    private static ByteBuffer pattern(DType t, float mean, double std) {
        int size = Math.toIntExact(t.byteSize(1)), n = (1 << 20) / size;
        ByteBuffer b = ByteBuffer.allocate(n * size).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < n; i++) {
            float v = (float) (mean + std * r.nextGaussian());
            switch (t) {
                case F32 -> b.putFloat(v);
                case BF16 -> b.putShort(FloatFormats.floatToBf16(v));
                case F16 -> b.putShort(FloatFormats.floatToF16(v));
                case F8_E4M3 -> b.put(FloatFormats.floatToE4M3(v));
                default -> throw new IllegalArgumentException("synthetic safetensors: no encoder for " + t);
            }
        }
        return b.flip();
    }

    private static String safetensorsName(DType t) {
        return switch (t) {
            case F32 -> "F32";
            case BF16 -> "BF16";
            case F16 -> "F16";
            case F8_E4M3 -> "F8_E4M3";
            default -> throw new IllegalArgumentException("synthetic safetensors: " + t + " is not a safetensors dtype");
        };
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }
}
