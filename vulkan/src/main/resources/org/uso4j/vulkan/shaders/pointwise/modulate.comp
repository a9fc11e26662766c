#version 450
// Per-(batch, channel) pointwise ops on x [B, L, C] with u, v laid out as noted (c = channel, n = batch):
//   MODULATE: out = (1 + scale[n, c]) · x + shift[n, c]      u = shift [B, C], v = scale [B, C]  (Backend.modulate)
//   GATED:    out = x + gate[n, c] · y                      u = gate [B, C],  v = y [B, L, C]   (Backend.addGated)
// precise: rounded as ScalarBackend's float expressions (no fused multiply-add).
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer U { float u[]; };
layout(std430, binding = 2) readonly buffer V { float v[]; };
layout(std430, binding = 3) writeonly buffer O { float o[]; };
layout(push_constant) uniform P { uint n; uint lc; uint c; } p;
#include "grid.glsl"
void main() {
    uint i = gridItem();
    if (i >= p.n) return;
    uint bc = (i / p.lc) * p.c + i % p.c;
#ifdef MODULATE
    precise float s1 = 1.0 + v[bc];
    precise float r = s1 * x[i] + u[bc];
#else
    precise float r = x[i] + u[bc] * v[i];
#endif
    o[i] = r;
}
