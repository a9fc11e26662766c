#version 450
// GroupNorm, pass 3 of 3, elementwise over x [B, C, S] (groups of C/G channels): out = act(((x - mean) · inv) · w[c]
// + b[c]) with (mean, inv) of the element's group; w, b decoded by WLOAD / BLOAD when HAS_W / HAS_B, act by ACT_*.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer M { vec2 moments[]; };
layout(std430, binding = 2) readonly buffer W { uint w[]; };
layout(std430, binding = 3) readonly buffer Bias { uint b[]; };
layout(std430, binding = 4) writeonly buffer O { float o[]; };
layout(push_constant) uniform P { uint n; uint len; uint spatial; uint channels; } p;
#include "grid.glsl"
#include "dtype.glsl"
#include "act.glsl"
void main() {
    uint i = gridItem();
    if (i >= p.n) return;
    vec2 m = moments[i / p.len];
    uint c = (i / p.spatial) % p.channels;
    precise float v = (x[i] - m.x) * m.y;
#ifdef HAS_W
    v = v * WLOAD(w, c);
#endif
#ifdef HAS_B
    v = v + BLOAD(b, c);
#endif
    o[i] = act(v);
}
