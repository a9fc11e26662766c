package org.uso4j.core.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.uso4j.core.DType;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;

/**
 * A GGUF file (versions 2 and 3, little-endian), memory-mapped once (ggml {@code gguf.cpp} layout):
 * <pre>
 * u32 magic "GGUF" | u32 version | u64 n_tensors | u64 n_kv
 * n_kv × (string key, u32 value type, value)            strings = u64 length + UTF-8 bytes
 * n_tensors × (string name, u32 n_dims, u64 ne[n_dims], u32 ggml type, u64 offset)
 * padding to general.alignment (default 32) | data section (tensor offsets are relative to it)
 * </pre>
 * {@code ne} is innermost first; tensors are exposed in PyTorch order ({@code ne = [in, out]} → shape
 * {@code [out, in]}). Every count, length, dimension and offset is checked against the file before use; a
 * defect is a {@link CheckpointException} naming the file and the problem.
 */
public final class GgufFile extends MappedCheckpoint {
    static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    static final int DEFAULT_ALIGNMENT = 32;
    static final int MAX_DIMS = 4; // GGML_MAX_DIMS
    static final long MAX_NUMEL = 1L << 48;

    private final int version;
    private final MemorySegment data;
    private final Map<String, long[]> offsets; // name -> [begin, end) relative to the data section
    private final GgufMetadata kvs;

    private GgufFile(Path path, Arena arena, int version, MemorySegment data, Map<String, TensorEntry> entries,
                     Map<String, long[]> offsets, GgufMetadata kvs) {
        super(path, arena, entries);
        this.version = version;
        this.data = data;
        this.offsets = offsets;
        this.kvs = kvs;
    }

    /** Opens and validates {@code path}; throws {@link CheckpointException} naming the file on any defect. */
    public static GgufFile open(Path path) { return MappedCheckpoint.open(path, GgufFile::parse); }

    static CheckpointException bad(Path path, String what) {
        return new CheckpointException(path + ": not a valid GGUF file: " + what);
    }

    private static GgufFile parse(Path path, Arena arena, MemorySegment file) {
        GgufCursor in = new GgufCursor(path, file);
        if (file.byteSize() < 4) throw bad(path, "file is " + file.byteSize() + " bytes, too short for the magic");
        int magic = in.i32("magic");
        if (magic != MAGIC) throw bad(path, String.format("bad magic 0x%08X (expected \"GGUF\")", magic));
        int version = in.i32("version");
        if (version == 1) throw bad(path, "GGUF version 1 is not supported (only 2 and 3)");
        if (version != 2 && version != 3) {
            String hint = Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3 ? " (a big-endian GGUF?)" : "";
            throw bad(path, "unsupported GGUF version " + Integer.toUnsignedString(version) + hint);
        }
        long nTensors = in.u64("tensor count");
        long nKv = in.u64("key/value count");
        // Each tensor info takes at least 24 bytes (name length, n_dims, type, offset), each KV at least 13.
        if (nTensors < 0 || nTensors > in.remaining() / 24) throw bad(path, "tensor count " + Long.toUnsignedString(nTensors) + " is absurd for a " + file.byteSize() + "-byte file");
        if (nKv < 0 || nKv > Integer.MAX_VALUE || nKv > in.remaining() / 13) throw bad(path, "key/value count " + Long.toUnsignedString(nKv) + " is absurd for a " + file.byteSize() + "-byte file");

        GgufMetadata kvs = GgufMetadata.read(in, (int) nKv);
        int alignment = DEFAULT_ALIGNMENT;
        if (kvs.has("general.alignment")) {
            if (kvs.type("general.alignment") != GgufMetadata.UINT32) throw bad(path, "general.alignment is not a u32");
            long a = kvs.getLong("general.alignment");
            if (a <= 0 || a > (1 << 20) || Long.bitCount(a) != 1) throw bad(path, "general.alignment " + a + " is not a power of two (≤ 1 MiB)");
            alignment = (int) a;
        }

        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        Map<String, long[]> offsets = new LinkedHashMap<>();
        Map<String, long[]> pending = new LinkedHashMap<>(); // name -> [offset, bytes]
        for (long t = 0; t < nTensors; t++) {
            String name = in.string("tensor name #" + t);
            String where = "tensor '" + name + "'";
            if (pending.containsKey(name)) throw bad(path, where + " is listed twice");
            int nDims = in.i32(where + " n_dims");
            if (nDims < 1 || nDims > MAX_DIMS) throw bad(path, where + " has " + Integer.toUnsignedString(nDims) + " dimensions (1.." + MAX_DIMS + ")");
            long[] ne = new long[nDims];
            long numel = 1;
            for (int i = 0; i < nDims; i++) {
                ne[i] = in.u64(where + " ne[" + i + "]");
                if (ne[i] < 0 || ne[i] > Integer.MAX_VALUE) throw bad(path, where + " has an absurd dimension ne[" + i + "] = " + Long.toUnsignedString(ne[i]));
                numel = Math.multiplyHigh(numel, ne[i]) != 0 ? Long.MAX_VALUE : numel * ne[i];
                if (numel > MAX_NUMEL) throw bad(path, where + " is absurdly large (ne " + java.util.Arrays.toString(ne) + ")");
            }
            int typeId = in.i32(where + " type");
            DType dtype = DType.fromGgml(typeId).filter(d -> d.ggmlType() >= 0).orElseThrow(() -> bad(path, where + " has unknown or unsupported ggml type " + typeName(typeId)));
            if (ne[0] % dtype.blockSize() != 0) {
                throw bad(path, where + " of type " + dtype + " has rows of " + ne[0] + " elements, not a multiple of the block size " + dtype.blockSize());
            }
            long offset = in.u64(where + " offset");
            if (offset < 0 || offset % alignment != 0) throw bad(path, where + " offset " + Long.toUnsignedString(offset) + " is not a multiple of the alignment " + alignment);
            int[] dims = new int[nDims];
            for (int i = 0; i < nDims; i++) dims[i] = (int) ne[nDims - 1 - i];
            entries.put(name, new TensorEntry(name, dtype, Shape.of(dims), path.getFileName().toString()));
            pending.put(name, new long[]{offset, dtype.byteSize(numel)});
        }

        long dataStart = alignUp(in.position(), alignment);
        long dataLen = Math.max(0, file.byteSize() - dataStart);
        for (Map.Entry<String, long[]> e : pending.entrySet()) {
            long off = e.getValue()[0], bytes = e.getValue()[1];
            if (off > dataLen || bytes > dataLen - off) {
                throw bad(path, "tensor '" + e.getKey() + "' data [" + off + ", " + (off + bytes) + ") is outside the data section ("
                        + dataLen + " bytes from offset " + dataStart + "): truncated?");
            }
            offsets.put(e.getKey(), new long[]{off, off + bytes});
        }
        checkNoOverlap(path, offsets);
        MemorySegment data = dataStart <= file.byteSize() ? file.asSlice(dataStart) : file.asSlice(file.byteSize());
        return new GgufFile(path, arena, version, data, Collections.unmodifiableMap(entries), offsets, kvs);
    }

    static long alignUp(long x, int alignment) { return (x + alignment - 1) / alignment * alignment; }

    private static void checkNoOverlap(Path path, Map<String, long[]> offsets) {
        List<Map.Entry<String, long[]>> list = new ArrayList<>(offsets.entrySet());
        list.removeIf(e -> e.getValue()[0] == e.getValue()[1]);
        list.sort((x, y) -> Long.compare(x.getValue()[0], y.getValue()[0]));
        for (int i = 1; i < list.size(); i++) {
            if (list.get(i).getValue()[0] < list.get(i - 1).getValue()[1]) {
                throw bad(path, "tensors '" + list.get(i - 1).getKey() + "' and '" + list.get(i).getKey() + "' overlap");
            }
        }
    }

    /** ggml type ids (ggml.h enum ggml_type) for messages about types this reader does not decode. */
    private static final String[] GGML_TYPE_NAMES = {"F32", "F16", "Q4_0", "Q4_1", "Q4_2 (removed)", "Q4_3 (removed)", "Q5_0",
            "Q5_1", "Q8_0", "Q8_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K", "IQ2_XXS", "IQ2_XS", "IQ3_XXS", "IQ1_S",
            "IQ4_NL", "IQ3_S", "IQ2_S", "IQ4_XS", "I8", "I16", "I32", "I64", "F64", "IQ1_M", "BF16", "Q4_0_4_4", "Q4_0_4_8",
            "Q4_0_8_8", "TQ1_0", "TQ2_0", "IQ4_NL_4_4", "IQ4_NL_4_8", "IQ4_NL_8_8", "MXFP4"};

    static String typeName(int id) {
        return id >= 0 && id < GGML_TYPE_NAMES.length ? id + " (" + GGML_TYPE_NAMES[id] + ")" : Integer.toUnsignedString(id);
    }

    /** The GGUF version (2 or 3). */
    public int version() { return version; }

    @Override public Tensor tensor(String name) {
        TensorEntry e = entry(name);
        long[] o = offsets.get(name);
        return Tensor.of(e.dtype(), e.shape(), data.asSlice(o[0], o[1] - o[0]));
    }

    /** Every key/value rendered as a string; arrays longer than a few elements are summarised ("[32128 strings]"). */
    @Override public Map<String, String> metadata() { return kvs.rendered(); }

    /** Key/value names, in file order. */
    public Set<String> kvKeys() { return kvs.keys(); }

    public boolean hasKv(String key) { return kvs.has(key); }

    /**
     * A key/value as a Java value: integers as {@link Long} (u64 above 2^63 wrap), floats as {@link Double},
     * {@link String}, {@link Boolean}, arrays as an unmodifiable {@link List} of those. Fails naming the key if absent.
     */
    public Object kv(String key) { return kvs.get(key); }

    public long kvLong(String key) { return kvs.getLong(key); }

    public double kvDouble(String key) { return kvs.getDouble(key); }

    public String kvString(String key) { return kvs.getString(key); }

    public boolean kvBool(String key) { return kvs.getBool(key); }

    /** A string array (e.g. {@code tokenizer.ggml.tokens}). */
    public List<String> kvStrings(String key) { return kvs.getStrings(key); }

    /** A float array (e.g. {@code tokenizer.ggml.scores}). */
    public float[] kvFloats(String key) { return kvs.getFloats(key); }

    /** An integer array (e.g. {@code tokenizer.ggml.token_type}). */
    public long[] kvLongs(String key) { return kvs.getLongs(key); }

    /** A u8/i8 array as raw bytes (e.g. {@code tokenizer.ggml.precompiled_charsmap}). */
    public byte[] kvBytes(String key) { return kvs.getBytes(key); }
}
