#version 450
// Softmax over the last dimension (Backend.softmax): rows of n floats, one work group per row (row = group x + y·groups x),
// max and sum reduced in shared memory.
#define WG 256
#define NEG_INF uintBitsToFloat(0xff800000u)
layout(local_size_x = WG) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) writeonly buffer O { float o[]; };
layout(push_constant) uniform P { uint rows; uint n; } p;

shared float red[WG];

void main() {
    uint row = gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x, t = gl_LocalInvocationID.x;
    if (row >= p.rows) return;   // the whole group: no barrier is skipped by part of it
    uint base = row * p.n;
    float m = NEG_INF;
    for (uint i = t; i < p.n; i += WG) m = max(m, x[base + i]);
    red[t] = m;
    barrier();
    for (uint w = WG / 2; w > 0; w >>= 1) {
        if (t < w) red[t] = max(red[t], red[t + w]);
        barrier();
    }
    float mx = red[0];
    barrier();
    float sum = 0.0;
    for (uint i = t; i < p.n; i += WG) sum += exp(x[base + i] - mx);
    red[t] = sum;
    barrier();
    for (uint w = WG / 2; w > 0; w >>= 1) {
        if (t < w) red[t] += red[t + w];
        barrier();
    }
    sum = red[0];
    for (uint i = t; i < p.n; i += WG) o[base + i] = exp(x[base + i] - mx) / sum;
}
