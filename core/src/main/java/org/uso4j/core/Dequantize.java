package org.uso4j.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Decodes stored elements of any {@link DType} to float32. Block-quantized types decode whole blocks
 * (ggml's {@code dequantize_row_*} formulas, in float32); {@code first} must then be a block boundary.
 * This is the scalar reference every fused kernel is tested against.
 */
public final class Dequantize {
    private Dequantize() {}

    /**
     * Decodes {@code n} elements starting at element index {@code first} of {@code src} (holding {@code type})
     * into {@code dst[dstOff ..]}.
     */
    public static void decode(DType type, MemorySegment src, long first, float[] dst, int dstOff, int n) {
        switch (type) {
            case F32 -> MemorySegment.copy(src, Tensor.F32_LE, first * 4, dst, dstOff, n);
            case F64 -> { for (int i = 0; i < n; i++) dst[dstOff + i] = (float) src.getAtIndex(Tensor.F64_LE, first + i); }
            case F16 -> { for (int i = 0; i < n; i++) dst[dstOff + i] = Float.float16ToFloat(src.getAtIndex(Tensor.I16_LE, first + i)); }
            case BF16 -> { for (int i = 0; i < n; i++) dst[dstOff + i] = Float.intBitsToFloat((src.getAtIndex(Tensor.I16_LE, first + i) & 0xFFFF) << 16); }
            case F8_E4M3 -> {
                float[] t = FloatFormats.e4m3Table();
                for (int i = 0; i < n; i++) dst[dstOff + i] = t[src.get(ValueLayout.JAVA_BYTE, first + i) & 0xFF];
            }
            case F8_E5M2 -> {
                float[] t = FloatFormats.e5m2Table();
                for (int i = 0; i < n; i++) dst[dstOff + i] = t[src.get(ValueLayout.JAVA_BYTE, first + i) & 0xFF];
            }
            case I64, I32, I16, I8, U8, BOOL -> {
                Tensor view = Tensor.of(type, Shape.of(Math.toIntExact(src.byteSize() / type.bytesPerBlock())), src);
                for (int i = 0; i < n; i++) dst[dstOff + i] = view.getLong(first + i);
            }
            default -> GgmlBlocks.decode(type, src, first, dst, dstOff, n);
        }
    }
}
