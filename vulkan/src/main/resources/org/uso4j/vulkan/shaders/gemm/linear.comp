#version 450
// Backend.linear / linearLowRank: out[m, n] = act(Σ_k x[m, k]·W[n, k] + bias[n] + Σ_r t[m, r]·up[n, r]), one product:
// the low-rank term is the K range [in, in + rank) of the same accumulation (rank 0: none). x, t, out float32
// row-major. The weight dtype is the pipeline variant (weights.glsl define); the bias and up dtypes (PLAIN_* codes,
// PLAIN_NONE for no bias) and the activation (ACT_* code) are push constants.
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 2) readonly buffer Bias { uint bias[]; };
layout(std430, binding = 3) readonly buffer T { float t[]; };
layout(std430, binding = 4) readonly buffer Up { uint up[]; };
layout(std430, binding = 5) writeonly buffer O { float o[]; };
layout(push_constant) uniform P { uint rows; uint outs; uint ins; uint rank; uint biasCode; uint upCode; uint act; } p;
#include "weights.glsl"
#include "activation.glsl"

float loadA(uint z, uint m, uint k) {
    if (k >= p.ins) return t[m * p.rank + k - p.ins];
    return x[m * p.ins + k];
}

float loadB(uint z, uint n, uint k) {
    if (k >= p.ins) {
        uint e = n * p.rank + k - p.ins;
        return plainValue(p.upCode, up[plainWord(p.upCode, e)], e);
    }
    return weightAt(n * p.ins + k);
}

void store(uint z, uint m, uint n, float acc) {
    if (p.biasCode != PLAIN_NONE) acc += plainValue(p.biasCode, bias[plainWord(p.biasCode, n)], n);
    o[m * p.outs + n] = activate(p.act, acc);
}

#include "gemm/tile.glsl"

void main() { gemmTile(0u, p.rows, p.outs, p.ins + p.rank); }
