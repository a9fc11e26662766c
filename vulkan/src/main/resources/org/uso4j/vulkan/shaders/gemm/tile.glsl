// The tiled product every GEMM-shaped op shares: C[z, m, n] = Σ_k A(z, m, k) · B(z, n, k) for one 64×64 output tile
// per work group (tile x = n, tile y = m, z = batch), k in steps of 16 through shared memory, 16×16 invocations each
// holding a 4×4 register block (rows ty + 16i, columns tx + 16j), float32 accumulation in increasing k.
// The including shader defines, before including this file:
//   float loadA(uint z, uint m, uint k);   // called only for m < M, k < K
//   float loadB(uint z, uint n, uint k);   // called only for n < N, k < K
//   void store(uint z, uint m, uint n, float acc);  // called only for m < M, n < N
// and optionally A_M_FASTEST / B_N_FASTEST where neighbouring m (n) rather than neighbouring k are adjacent in memory
// (im2col pixels, a non-transposed B), so that neighbouring invocations load neighbouring addresses.
#define TILE_M 64u
#define TILE_N 64u
#define TILE_K 16u
layout(local_size_x = 16, local_size_y = 16) in;
shared float tileA[TILE_K][TILE_M + 1u]; // +1: k-major stores of neighbouring invocations hit distinct banks
shared float tileB[TILE_K][TILE_N + 1u];

void gemmTile(uint z, uint M, uint N, uint K) {
    uint tx = gl_LocalInvocationID.x, ty = gl_LocalInvocationID.y, lid = ty * 16u + tx;
    uint m0 = gl_WorkGroupID.y * TILE_M, n0 = gl_WorkGroupID.x * TILE_N;
    float acc[4][4];
    for (uint i = 0u; i < 4u; i++) for (uint j = 0u; j < 4u; j++) acc[i][j] = 0.0;
    for (uint k0 = 0u; k0 < K; k0 += TILE_K) {
        // 64×16 elements of each operand, 4 per invocation
        for (uint s = 0u; s < 4u; s++) {
            uint item = lid + 256u * s;
#ifdef A_M_FASTEST
            uint ra = item % TILE_M, ka = item / TILE_M;
#else
            uint ra = item / TILE_K, ka = item % TILE_K;
#endif
#ifdef B_N_FASTEST
            uint rb = item % TILE_N, kb = item / TILE_N;
#else
            uint rb = item / TILE_K, kb = item % TILE_K;
#endif
            float a = 0.0, b = 0.0; // branches, not selects: loads outside the operands must not run at all
            if (k0 + ka < K && m0 + ra < M) a = loadA(z, m0 + ra, k0 + ka);
            if (k0 + kb < K && n0 + rb < N) b = loadB(z, n0 + rb, k0 + kb);
            tileA[ka][ra] = a;
            tileB[kb][rb] = b;
        }
        barrier();
        for (uint kk = 0u; kk < TILE_K; kk++) {
            float a[4], b[4];
            for (uint i = 0u; i < 4u; i++) a[i] = tileA[kk][ty + 16u * i];
            for (uint j = 0u; j < 4u; j++) b[j] = tileB[kk][tx + 16u * j];
            for (uint i = 0u; i < 4u; i++) for (uint j = 0u; j < 4u; j++) acc[i][j] = fma(a[i], b[j], acc[i][j]);
        }
        barrier();
    }
    for (uint i = 0u; i < 4u; i++) {
        uint m = m0 + ty + 16u * i;
        if (m >= M) continue;
        for (uint j = 0u; j < 4u; j++) {
            uint n = n0 + tx + 16u * j;
            if (n < N) store(z, m, n, acc[i][j]);
        }
    }
}
