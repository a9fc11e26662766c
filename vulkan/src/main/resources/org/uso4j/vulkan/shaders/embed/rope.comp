#version 450
// Rotary embedding (Backend.rope, FLUX apply_rope): x [B, H, L, D], pe [B or 1, 1, L, D/2, 2, 2]; one invocation per
// pair k of a row: o[2k] = pe[k,0,0]·x[2k] + pe[k,0,1]·x[2k+1], o[2k+1] = pe[k,1,0]·x[2k] + pe[k,1,1]·x[2k+1]
// (products and sums rounded as written: no fused multiply-add, as ScalarBackend).
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer Pe { float pe[]; };
layout(std430, binding = 2) writeonly buffer O { float o[]; };
layout(push_constant) uniform P { uint pairs; uint halfDim; uint len; uint heads; uint peBatch; } p;
#include "grid.glsl"
void main() {
    uint i = gridItem();
    if (i >= p.pairs) return;
    uint k = i % p.halfDim, row = i / p.halfDim;           // row = (n·H + h)·L + position
    uint pos = row % p.len, n = row / (p.heads * p.len);
    uint q = ((p.peBatch != 0u ? n : 0u) * p.len + pos) * p.halfDim * 4u + 4u * k;
    float x0 = x[2u * i], x1 = x[2u * i + 1u];
    precise float a = pe[q] * x0 + pe[q + 1u] * x1;
    precise float b = pe[q + 2u] * x0 + pe[q + 3u] * x1;
    o[2u * i] = a;
    o[2u * i + 1u] = b;
}
