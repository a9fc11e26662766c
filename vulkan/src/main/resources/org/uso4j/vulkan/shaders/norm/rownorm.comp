#version 450
// One work group per row of x [rows, C] (rows over a 2-D grid of groups), sums by a shared-memory tree.
// Default: LayerNorm as ScalarBackend (two passes: mean, then the biased variance of x - mean; eps inside the root),
// then · w[c] (HAS_W), + b[c] (HAS_B). RMS: RMSNorm, x · (1 / sqrt(mean(x²) + eps)) · w[c].
// w and b are stored tensors decoded by WLOAD / BLOAD (dtype.glsl).
layout(local_size_x = 128) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer W { uint w[]; };
layout(std430, binding = 2) readonly buffer Bias { uint b[]; };
layout(std430, binding = 3) writeonly buffer O { float o[]; };
layout(push_constant) uniform P { uint rows; uint c; float eps; } p;
#include "dtype.glsl"
#include "reduce.glsl"
void main() {
    uint row = gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x;
    if (row >= p.rows) return;   // the whole group leaves together: the barriers below stay uniform
    uint base = row * p.c, t = gl_LocalInvocationID.x, step = gl_WorkGroupSize.x;
#ifdef RMS
    float ss = 0.0;
    for (uint i = t; i < p.c; i += step) { float v = x[base + i]; ss += v * v; }
    float inv = 1.0 / sqrt(groupSum(ss) / float(p.c) + p.eps);
    for (uint i = t; i < p.c; i += step) {
        precise float v = x[base + i] * inv;
#ifdef HAS_W
        v = v * WLOAD(w, i);
#endif
        o[base + i] = v;
    }
#else
    float s = 0.0;
    for (uint i = t; i < p.c; i += step) s += x[base + i];
    float mean = groupSum(s) / float(p.c);
    float q = 0.0;
    for (uint i = t; i < p.c; i += step) { float d = x[base + i] - mean; q += d * d; }
    float inv = 1.0 / sqrt(groupSum(q) / float(p.c) + p.eps);
    for (uint i = t; i < p.c; i += step) {
        precise float v = (x[base + i] - mean) * inv;
#ifdef HAS_W
        v = v * WLOAD(w, i);
#endif
#ifdef HAS_B
        v = v + BLOAD(b, i);
#endif
        o[base + i] = v;
    }
#endif
}
