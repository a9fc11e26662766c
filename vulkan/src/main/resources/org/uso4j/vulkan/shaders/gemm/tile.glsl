// The tiled product every GEMM-shaped op shares: C[z, m, n] = Σ_k A(z, m, k) · B(z, n, k) for one 64×64 output tile
// per work group (tile x = n, tile y = m, z = batch), k in steps of 16 through shared memory, 16×16 invocations each
// holding a 4×4 register block (rows ty + 16i, columns tx + 16j), float32 accumulation in increasing k.
// The including shader defines, before including this file:
//   float loadA(uint z, uint m, uint k);   // called only for m < M, k < K
//   float loadB(uint z, uint n, uint k);   // called only for n < N, k < K
//   void store(uint z, uint m, uint n, float acc);  // called only for m < M, n < N
#define TILE_M 64u
#define TILE_N 64u
#define TILE_K 16u
layout(local_size_x = 16, local_size_y = 16) in;
shared float tileA[TILE_K][TILE_M];
shared float tileB[TILE_K][TILE_N];

void gemmTile(uint z, uint M, uint N, uint K) {
    uint tx = gl_LocalInvocationID.x, ty = gl_LocalInvocationID.y, lid = ty * 16u + tx;
    uint m0 = gl_WorkGroupID.y * TILE_M, n0 = gl_WorkGroupID.x * TILE_N;
    float acc[4][4];
    for (uint i = 0u; i < 4u; i++) for (uint j = 0u; j < 4u; j++) acc[i][j] = 0.0;
    for (uint k0 = 0u; k0 < K; k0 += TILE_K) {
        // 64×16 elements of each operand, 4 per invocation; neighbouring invocations read neighbouring k
        for (uint s = 0u; s < 4u; s++) {
            uint item = lid + 256u * s, r = item / TILE_K, kk = item % TILE_K, k = k0 + kk;
            float a = 0.0, b = 0.0;
            if (k < K) {
                if (m0 + r < M) a = loadA(z, m0 + r, k);
                if (n0 + r < N) b = loadB(z, n0 + r, k);
            }
            tileA[kk][r] = a;
            tileB[kk][r] = b;
        }
        barrier();
        for (uint kk = 0u; kk < TILE_K; kk++) {
            float a[4], b[4];
            for (uint i = 0u; i < 4u; i++) a[i] = tileA[kk][ty + 16u * i];
            for (uint j = 0u; j < 4u; j++) b[j] = tileB[kk][tx + 16u * j];
            for (uint i = 0u; i < 4u; i++) for (uint j = 0u; j < 4u; j++) acc[i][j] += a[i] * b[j];
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
