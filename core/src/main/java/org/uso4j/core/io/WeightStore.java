package org.uso4j.core.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.uso4j.core.DType;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;

/**
 * The strict loader: the tensors a network may take, under the network's own (canonical) key names, each
 * remembering the file it came from. A network takes every tensor it needs with the shape it expects; then
 * {@link #requireAllUsed} fails on anything left over. Missing keys, wrong shapes and unused tensors are errors
 * that name the file, the key and expected vs found — never the warnings of {@code strict=False}.
 *
 * <p>Every tensor taken goes through the store's adopter ({@link #adoptWith}: the backend's {@code adopt}), once per
 * key, so a device backend gets each weight exactly once. Weights a network derives on the host at load (slices of
 * a packed tensor, decoded copies) are taken with {@link #takeHost} and adopted after deriving ({@link #adopt}).
 */
public final class WeightStore {
    /** One available tensor: where it came from, its stored type and shape, and how to get its bytes. */
    public record Entry(String key, String origin, DType dtype, Shape shape, Supplier<Tensor> tensor) {}

    /** Makes a tensor for a key nobody provided (synthetic stores for self-tests and benchmarks). */
    public interface Generator {
        Tensor make(String key, int[] shape);
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Generator generator;

    /** An empty store, filled with {@link #addAll} / {@link #put}. */
    public WeightStore() { this(null); }

    private WeightStore(Generator generator) { this.generator = generator; }

    /**
     * A store that invents every tensor a network takes with {@code generator} (wildcard dimensions are not
     * allowed). For self-tests and benchmarks with random weights; never for loading files.
     */
    public static WeightStore generated(Generator generator) { return new WeightStore(generator); }
    private final Set<String> used = new LinkedHashSet<>();
    private final List<String> origins = new ArrayList<>();
    private final Map<String, Tensor> adopted = new LinkedHashMap<>();
    private UnaryOperator<Tensor> adopter = UnaryOperator.identity();

    /** Hands every tensor taken from now on to {@code adopter} (a backend's {@code adopt}); the default keeps them as they are. */
    public WeightStore adoptWith(UnaryOperator<Tensor> adopter) {
        if (adopter == null) throw new IllegalArgumentException("adopter is null");
        this.adopter = adopter;
        return this;
    }

    /** {@code derived} (made on the host at load from tensors {@link #takeHost taken as stored}) handed to the adopter. */
    public Tensor adopt(Tensor derived) { return adopter.apply(derived); }

    /** Adds every tensor of {@code ckpt} under its own name. */
    public WeightStore addAll(Checkpoint ckpt) {
        for (TensorEntry e : ckpt.entries()) put(e.name(), ckpt.source() + " ['" + e.name() + "']", e.dtype(), e.shape(), () -> ckpt.tensor(e.name()));
        origins.add(ckpt.source());
        return this;
    }

    /** Adds a tensor under canonical {@code key}; {@code origin} says where it came from (file and original key). */
    public WeightStore put(String key, String origin, DType dtype, Shape shape, Supplier<Tensor> tensor) {
        Entry old = entries.putIfAbsent(key, new Entry(key, origin, dtype, shape, tensor));
        if (old != null) throw new CheckpointException("tensor '" + key + "' is given twice: by " + old.origin() + " and by " + origin);
        return this;
    }

    public WeightStore put(String key, String origin, Tensor t) { return put(key, origin, t.dtype(), t.shape(), () -> t); }

    public boolean has(String key) { return entries.containsKey(key); }

    public Optional<Entry> entry(String key) { return Optional.ofNullable(entries.get(key)); }

    /** Stored shape of {@code key}, for networks that read hyper-parameters from shapes. */
    public Optional<Shape> shapeOf(String key) { return entry(key).map(Entry::shape); }

    public Set<String> keys() { return Collections.unmodifiableSet(entries.keySet()); }

    /**
     * Takes {@code key}, checking its shape against {@code expected} (-1 = any size in that dimension), as the
     * adopter made it (where the backend computes; adopted once, the same tensor on a second take).
     * Fails naming the key, the files searched and expected vs found.
     */
    public Tensor take(String key, int... expected) {
        Tensor stored = takeHost(key, expected);
        Tensor done = adopted.get(key);
        if (done == null) {
            done = adopter.apply(stored);
            adopted.put(key, done);
        }
        return done;
    }

    /** {@link #take} without the adopter: the stored host tensor, for weights derived at load and then {@link #adopt adopted}. */
    public Tensor takeHost(String key, int... expected) {
        Entry e = entries.get(key);
        if (e == null && generator != null) {
            for (int d : expected) if (d < 0) throw new IllegalArgumentException("generated store: wildcard shape for '" + key + "'");
            Tensor t = generator.make(key, expected.clone());
            put(key, "generated", t);
            e = entries.get(key);
        }
        if (e == null) {
            throw new CheckpointException("missing tensor '" + key + "' (expected shape " + Shape.of(expected) + ") in " + describeOrigins());
        }
        int[] found = e.shape().dims();
        boolean ok = found.length == expected.length;
        for (int i = 0; ok && i < found.length; i++) ok = expected[i] < 0 || expected[i] == found[i];
        if (!ok) {
            throw new CheckpointException(e.origin() + ": wrong shape for '" + key + "': expected " + Shape.of(expected)
                    + ", found " + e.shape() + " (" + e.dtype() + ")");
        }
        if (!e.dtype().isFloating()) {
            throw new CheckpointException(e.origin() + ": tensor '" + key + "' has integer type " + e.dtype() + ", expected a float weight");
        }
        used.add(key);
        return e.tensor().get();
    }

    /** Like {@link #take} but returns empty when the key is absent. */
    public Optional<Tensor> takeIfPresent(String key, int... expected) {
        return has(key) ? Optional.of(take(key, expected)) : Optional.empty();
    }

    /** Marks {@code key} as deliberately not used (e.g. a buffer the reference also ignores). */
    public void skip(String key) { if (entries.containsKey(key)) used.add(key); }

    /** Fails when any tensor was not taken by the network called {@code network}. */
    public void requireAllUsed(String network) {
        List<String> unused = new ArrayList<>();
        for (Entry e : entries.values()) if (!used.contains(e.key())) unused.add(e.origin());
        if (!unused.isEmpty()) {
            int show = Math.min(unused.size(), 20);
            throw new CheckpointException(unused.size() + " unexpected tensor(s) not used by " + network + ": "
                    + String.join(", ", unused.subList(0, show)) + (unused.size() > show ? ", ..." : ""));
        }
    }

    /** The files the tensors came from (the part of each origin before its " [key]"). */
    private String describeOrigins() {
        Set<String> files = new LinkedHashSet<>(origins);
        for (Entry e : entries.values()) {
            int k = e.origin().indexOf(" [");
            files.add(k < 0 ? e.origin() : e.origin().substring(0, k));
        }
        return files.isEmpty() ? "no files" : String.join(", ", files);
    }

    /** One line: how many tensors, how many bytes, which dtypes, from where. */
    public String summary(String network) {
        Map<DType, Integer> byType = new EnumMap<>(DType.class);
        long bytes = 0;
        for (Entry e : entries.values()) {
            byType.merge(e.dtype(), 1, Integer::sum);
            bytes += e.dtype().byteSize(e.shape().numel());
        }
        StringBuilder types = new StringBuilder();
        new TreeMap<>(byType).forEach((t, n) -> types.append(types.isEmpty() ? "" : " ").append(t).append('×').append(n));
        return String.format("%s: %d tensors, %.1f MB (%s) from %s", network, entries.size(), bytes / 1e6, types,
                describeOrigins());
    }
}
