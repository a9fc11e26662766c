#version 450
// out[i] = a[i] (+|·) b[i mod nb]: b has a's shape or a suffix of it (Backend.add / Backend.mul), or, with
// OP_ADD_SCALED, a[i] + (s·b[i mod nb]) rounded twice as add(a, scale(b, s)) (the Euler update).
// Defines: OP_ADD, OP_MUL or OP_ADD_SCALED. precise: no fused multiply-add, results bitwise as on the CPU.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) writeonly buffer O { float o[]; };
#ifdef OP_ADD_SCALED
layout(push_constant) uniform P { uint n; uint nb; float s; } p;
#else
layout(push_constant) uniform P { uint n; uint nb; } p;
#endif
#include "grid.glsl"
void main() {
    uint i = gridItem();
    if (i >= p.n) return;
#if defined(OP_ADD)
    o[i] = a[i] + b[i % p.nb];
#elif defined(OP_ADD_SCALED)
    precise float sb = p.s * b[i % p.nb];
    precise float r = a[i] + sb;
    o[i] = r;
#else
    o[i] = a[i] * b[i % p.nb];
#endif
}
