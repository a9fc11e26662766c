#version 450
// Backend.matmul: out[z, m, n] = Σ_k a[z, m, k]·b[z', k, n] (TRANSPOSE_B: b[z', n, k]); z' = z, or 0 when b is
// one matrix broadcast over the batch (bStride 0). All float32 row-major; z = zBase + the work group's z.
layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) writeonly buffer O { float o[]; };
layout(push_constant) uniform P { uint m; uint n; uint k; uint bStride; uint zBase; } p;

float loadA(uint z, uint m, uint k) { return a[(z * p.m + m) * p.k + k]; }

float loadB(uint z, uint n, uint k) {
#ifdef TRANSPOSE_B
    return b[z * p.bStride + n * p.k + k];
#else
    return b[z * p.bStride + k * p.n + n];
#endif
}

void store(uint z, uint m, uint n, float acc) { o[(z * p.m + m) * p.n + n] = acc; }

#ifndef TRANSPOSE_B
#define B_N_FASTEST
#endif

#include "gemm/tile.glsl"

void main() { gemmTile(p.zBase + gl_WorkGroupID.z, p.m, p.n, p.k); }
