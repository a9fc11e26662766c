package org.uso4j.core.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.uso4j.core.DType;
import org.uso4j.core.Quantize;
import org.uso4j.core.RowBlocks;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;

/**
 * Load-time quantization ({@code --quantize q8_0|q4_k|fp8}) for users who only have the official float weights:
 * large 2-D float weights become {@link DType#Q8_0}, {@link DType#Q4_K} or {@link DType#F8_E4M3} (weight-only, like
 * {@code flux-dev-fp8}); everything else keeps its stored type. Which tensors convert follows city96's
 * ComfyUI-GGUF {@code tools/convert.py}: not 1-D tensors or convolution kernels, not the embedders and the final
 * layer ({@link #KEEP}), not tensors of at most {@link #MIN_ELEMENTS} elements, and not rows that are not a whole
 * number of blocks. Conversion happens lazily when a network takes the tensor, row chunks in parallel (the result
 * does not depend on the thread count: each block is quantized on its own, with {@link Quantize}'s reference
 * arithmetic).
 */
public final class QuantizedStore {
    private QuantizedStore() {}

    /** Key fragments of weights kept in their stored precision (convert.py's blacklist, BFL names). */
    public static final List<String> KEEP = List.of("time_embedding.", "add_embedding.", "time_in.", "txt_in.", "vector_in.",
            "img_in.", "guidance_in.", "final_layer.");
    /** diffusers names of the same top-level layers (keys starting with these are kept). */
    private static final List<String> KEEP_DIFFUSERS = List.of("x_embedder.", "context_embedder.", "time_text_embed.",
            "norm_out.", "proj_out.");
    /** Tensors this small stay as stored (convert.py's QUANTIZATION_THRESHOLD). */
    public static final long MIN_ELEMENTS = 1024;
    /** Rows quantized per parallel task. */
    private static final int ROWS_PER_TASK = 64;

    /** The load-time targets. */
    public static boolean isTarget(DType t) { return t == DType.Q8_0 || t == DType.Q4_K || t == DType.F8_E4M3; }

    private static void requireTarget(DType t) {
        if (!isTarget(t)) throw new IllegalArgumentException("cannot quantize weights to " + t + " at load time (use Q8_0, Q4_K or F8_E4M3)");
    }

    /** Whether the tensor {@code key} ({@code stored}, {@code shape}) is converted to {@code target}. */
    public static boolean converts(String key, DType stored, Shape shape, DType target) {
        requireTarget(target);
        if (!stored.isFloating() || stored.isQuantized() || stored == target || shape.rank() != 2) return false;
        if (shape.numel() <= MIN_ELEMENTS || shape.last() % target.blockSize() != 0) return false;
        if (key.endsWith(".weight") && KEEP.stream().anyMatch(key::contains)) return false;
        return KEEP_DIFFUSERS.stream().noneMatch(key::startsWith);
    }

    /** The type {@code key} has after conversion. */
    public static DType typeOf(String key, DType stored, Shape shape, DType target) {
        return converts(key, stored, shape, target) ? target : stored;
    }

    /** A store with the same keys and origins whose convertible weights are quantized to {@code target} when taken. */
    public static WeightStore of(WeightStore source, DType target) {
        requireTarget(target);
        WeightStore out = new WeightStore();
        for (String key : source.keys()) {
            WeightStore.Entry e = source.entry(key).orElseThrow();
            if (converts(key, e.dtype(), e.shape(), target)) {
                Supplier<Tensor> raw = e.tensor();
                out.put(key, e.origin() + " as " + target, target, e.shape(), () -> convert(raw.get(), target));
            } else {
                out.put(key, e.origin(), e.dtype(), e.shape(), e.tensor());
            }
        }
        return out;
    }

    /** {@code source} seen through load-time quantization: entries report the converted types; closing closes it. */
    public static Checkpoint of(Checkpoint source, DType target) {
        requireTarget(target);
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        for (TensorEntry e : source.entries()) {
            entries.put(e.name(), new TensorEntry(e.name(), typeOf(e.name(), e.dtype(), e.shape(), target), e.shape(), e.file()));
        }
        return new Checkpoint() {
            @Override public String source() { return source.source() + " (quantized to " + target + ")"; }
            @Override public Set<String> names() { return source.names(); }
            @Override public Collection<TensorEntry> entries() { return entries.values(); }
            @Override public TensorEntry entry(String name) {
                source.entry(name); // fails naming the key when absent
                return entries.get(name);
            }
            @Override public Tensor tensor(String name) {
                Tensor t = source.tensor(name);
                return converts(name, t.dtype(), t.shape(), target) ? convert(t, target) : t;
            }
            @Override public Map<String, String> metadata() { return source.metadata(); }
            @Override public void close() { source.close(); }
        };
    }

    /** {@code t} (a 2-D float tensor) quantized to {@code target}, chunks of rows in parallel. */
    public static Tensor convert(Tensor t, DType target) {
        requireTarget(target);
        if (t.rank() != 2) throw new IllegalArgumentException("only 2-D weights are quantized at load time, got " + t);
        int rows = t.dim(0);
        int tasks = (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        if (tasks <= 1) return quantize(t, target);
        long rowBytes = target.byteSize(t.dim(1));
        MemorySegment out = Arena.ofAuto().allocate(Math.max(1, rowBytes * rows), 32).asSlice(0, rowBytes * rows);
        IntStream.range(0, tasks).parallel().forEach(task -> {
            int r0 = task * ROWS_PER_TASK, r1 = Math.min(rows, r0 + ROWS_PER_TASK);
            Tensor part = quantize(RowBlocks.rows(t, r0, r1), target);
            MemorySegment.copy(part.segment(), 0, out, r0 * rowBytes, (r1 - r0) * rowBytes);
        });
        return Tensor.of(target, t.shape(), out);
    }

    private static Tensor quantize(Tensor t, DType target) {
        return switch (target) {
            case Q8_0 -> Quantize.q8_0(t);
            case Q4_K -> Quantize.q4_K(t);
            case F8_E4M3 -> Quantize.e4m3(t);
            default -> throw new IllegalArgumentException(target.toString());
        };
    }
}
