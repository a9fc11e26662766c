#version 450
// out[i] = a[i] (+|·) b[i mod nb]: b has a's shape or a suffix of it (Backend.add / Backend.mul).
// Defines: OP_ADD or OP_MUL.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) writeonly buffer O { float o[]; };
layout(push_constant) uniform P { uint n; uint nb; } p;
#include "grid.glsl"
void main() {
    uint i = gridItem();
    if (i >= p.n) return;
#ifdef OP_ADD
    o[i] = a[i] + b[i % p.nb];
#else
    o[i] = a[i] * b[i % p.nb];
#endif
}
