#version 450
// GroupNorm, pass 1 of 3: x [B·G groups of len contiguous floats] cut in chunks of CHUNK floats; work group
// (chunk k, group g) writes stats[g·chunks + k] = (mean, M2) of its chunk, both by two passes over it
// (M2 = Σ (x - mean)²), so that no sum of squares ever cancels.
layout(local_size_x = 128) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) writeonly buffer S { vec2 stats[]; };
layout(push_constant) uniform P { uint len; uint chunk; uint chunks; } p;
#include "reduce.glsl"
void main() {
    uint k = gl_WorkGroupID.x, g = gl_WorkGroupID.y, t = gl_LocalInvocationID.x, step = gl_WorkGroupSize.x;
    uint start = k * p.chunk, count = min(p.chunk, p.len - start), base = g * p.len + start;
    float s = 0.0;
    for (uint i = t; i < count; i += step) s += x[base + i];
    float mean = groupSum(s) / float(count);
    float q = 0.0;
    for (uint i = t; i < count; i += step) { float d = x[base + i] - mean; q += d * d; }
    float m2 = groupSum(q);
    if (t == 0u) stats[g * p.chunks + k] = vec2(mean, m2);
}
