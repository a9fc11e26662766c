#version 450
// out[i] = act(a[i]) (Backend.activate; ACT_* picks it, see act.glsl) or, with SCALE, a[i]·s (Backend.scale).
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) writeonly buffer O { float o[]; };
layout(push_constant) uniform P { uint n; float s; } p;
#include "grid.glsl"
#include "act.glsl"
void main() {
    uint i = gridItem();
    if (i >= p.n) return;
#ifdef SCALE
    precise float r = a[i] * p.s;
    o[i] = r;
#else
    o[i] = act(a[i]);
#endif
}
