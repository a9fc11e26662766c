package org.uso4j.core.backend.cpu.attention;

/**
 * The two products of one {@link FlashAttention} step on a block of queries: {@code S = Q·K_blockᵀ} into the
 * scratch's score tile and {@code O += P·V_block} into its running double outputs.
 */
sealed interface Tiles permits FloatTiles, DoubleTiles {
    /** Which tiles, with their key block size. */
    enum Kind {
        /** Float products on the GEMM micro-kernel, 256 keys per block (the rescale and the double add of O amortised). */
        FLOAT(8 * org.uso4j.core.backend.cpu.gemm.GemmKernel.NR),
        /** Double chains, 64 keys per block. */
        DOUBLE(2 * org.uso4j.core.backend.cpu.gemm.GemmKernel.NR);

        private final int keyBlock;

        Kind(int keyBlock) { this.keyBlock = keyBlock; }

        int keyBlock() { return keyBlock; }
    }

    int keyBlock();

    /** Before the first key block of a query block: queries {@code q[qOff ..]} (nq rows of D). */
    void begin(FlashAttention.Scratch t, float[] q, int qOff, int nq);

    /** {@code t.s[i·BK + j] = q_i · k_j} for the nq queries and key block {@code blk}. */
    void scores(FlashAttention.Scratch t, float[] q, int qOff, int nq, int blk);

    /** {@code t.o[i·Dv + c] += Σ_{j < keys} t.s[i·BK + j] · v[j, c]} for key block {@code blk}. */
    void accumulate(FlashAttention.Scratch t, int nq, int keys, int blk);
}
