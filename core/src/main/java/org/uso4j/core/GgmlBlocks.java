package org.uso4j.core;

import java.lang.foreign.MemorySegment;

/** Decoders of GGML block quantizations (ggml-common.h layouts, ggml's dequantize_row_* formulas). */
final class GgmlBlocks {
    private GgmlBlocks() {}

    static void decode(DType type, MemorySegment src, long first, float[] dst, int dstOff, int n) {
        throw new UnsupportedOperationException("decoding " + type + " is not implemented yet");
    }
}
