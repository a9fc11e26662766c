package org.uso4j.core;

import java.util.Locale;
import java.util.Optional;

/**
 * Element types of stored tensors. Each constant carries its block geometry: {@code blockSize} elements are
 * stored in {@code bytesPerBlock} bytes (1 element for plain types; 32 or 256 for GGML block quantizations).
 * {@code safetensorsName} is the name in a safetensors header (null where the format has none) and
 * {@code ggmlType} the GGUF/GGML type id (-1 where none).
 */
public enum DType {
    F64(1, 8, "F64", 28, true),
    F32(1, 4, "F32", 0, true),
    F16(1, 2, "F16", 1, true),
    BF16(1, 2, "BF16", 30, true),
    /** float8 e4m3fn: s eeee mmm, bias 7, no infinities, 0x7F/0xFF NaN, max 448. */
    F8_E4M3(1, 1, "F8_E4M3", -1, true),
    /** float8 e5m2: s eeeee mm, bias 15, IEEE-like (infinities and NaN). */
    F8_E5M2(1, 1, "F8_E5M2", -1, true),
    I64(1, 8, "I64", 27, false),
    I32(1, 4, "I32", 26, false),
    I16(1, 2, "I16", 25, false),
    I8(1, 1, "I8", 24, false),
    U8(1, 1, "U8", -1, false),
    BOOL(1, 1, "BOOL", -1, false),
    // GGML block quantizations (ggml-common.h). Rows are sequences of blocks.
    Q4_0(32, 18, null, 2, true),
    Q4_1(32, 20, null, 3, true),
    Q5_0(32, 22, null, 6, true),
    Q5_1(32, 24, null, 7, true),
    Q8_0(32, 34, null, 8, true),
    Q2_K(256, 84, null, 10, true),
    Q3_K(256, 110, null, 11, true),
    Q4_K(256, 144, null, 12, true),
    Q5_K(256, 176, null, 13, true),
    Q6_K(256, 210, null, 14, true);

    private final int blockSize;
    private final int bytesPerBlock;
    private final String safetensorsName;
    private final int ggmlType;
    private final boolean floating;

    DType(int blockSize, int bytesPerBlock, String safetensorsName, int ggmlType, boolean floating) {
        this.blockSize = blockSize;
        this.bytesPerBlock = bytesPerBlock;
        this.safetensorsName = safetensorsName;
        this.ggmlType = ggmlType;
        this.floating = floating;
    }

    public int blockSize() { return blockSize; }
    public int bytesPerBlock() { return bytesPerBlock; }
    public int ggmlType() { return ggmlType; }
    /** True for types that decode to real numbers (floats and quantizations), false for integers/bool. */
    public boolean isFloating() { return floating; }
    public boolean isQuantized() { return blockSize > 1; }

    /** Bytes needed for {@code numel} elements; fails if numel is not a whole number of blocks. */
    public long byteSize(long numel) {
        if (numel < 0) throw new IllegalArgumentException("negative element count " + numel);
        if (numel % blockSize != 0) {
            throw new IllegalArgumentException(this + " needs a multiple of " + blockSize + " elements, got " + numel);
        }
        return Math.multiplyExact(numel / blockSize, (long) bytesPerBlock);
    }

    public static Optional<DType> fromSafetensors(String name) {
        if (name == null) return Optional.empty();
        String n = name.toUpperCase(Locale.ROOT);
        // Some writers use F8_E4M3FN; safetensors itself says F8_E4M3.
        if (n.equals("F8_E4M3FN")) n = "F8_E4M3";
        for (DType t : values()) if (n.equals(t.safetensorsName)) return Optional.of(t);
        return Optional.empty();
    }

    public static Optional<DType> fromGgml(int id) {
        if (id < 0) return Optional.empty();
        for (DType t : values()) if (t.ggmlType == id) return Optional.of(t);
        return Optional.empty();
    }
}
