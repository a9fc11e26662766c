package org.uso4j.pipeline.random;

/**
 * Which ATen CPU kernel PyTorch's float32 {@code randn} ran with; they differ in the last bits of ~40% of
 * the values (golden README gotcha 18).
 */
public enum CpuCapability {
    /**
     * {@code normal_fill_16_AVX2}: Cephes float polynomials of {@code avx_mathfun.h} with FMA contraction.
     * What x86 CPUs with AVX2 but no AVX-512 run, and builds without AVX-512 kernels (Debian's python3-torch).
     */
    AVX2,
    /**
     * The scalar {@code normal_fill_16}: glibc {@code logf}/{@code cosf}/{@code sinf}. What
     * {@code ATEN_CPU_CAPABILITY=default} and AVX-512 machines run (there is no AVX-512 version of this kernel).
     */
    DEFAULT
}
