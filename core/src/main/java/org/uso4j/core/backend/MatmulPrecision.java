package org.uso4j.core.backend;

import org.uso4j.core.backend.cpu.amx.AmxKernel;

/**
 * How {@link CpuBackend#linear} multiplies activations by weights.
 * <ul>
 * <li>{@link #F32}: float32 products and sums (the default): results are bitwise the same for every thread
 *     count and match {@link ScalarBackend} to rounding.</li>
 * <li>{@link #BF16}: activations rounded to bfloat16, weights decoded to bfloat16, exact products summed in
 *     float32 on the CPU's AMX tile unit (Intel Sapphire Rapids and later), like PyTorch's bf16 path. Several
 *     times faster where AMX exists; elsewhere {@link CpuBackend} uses {@link #F32} and says so in its name.</li>
 * </ul>
 */
public enum MatmulPrecision {
    F32, BF16;

    /** Whether this CPU runs {@link #BF16} on AMX tiles (else {@link #BF16} falls back to {@link #F32}). */
    public static boolean bf16Available() { return AmxKernel.available(); }

    /** Why {@link #bf16Available()} is false, or null. */
    public static String bf16UnavailableReason() { return AmxKernel.unavailableReason(); }
}
