#version 450
// Nearest ×2 upsampling: a [P, H, W] (P = B·C planes) → out [P, 2H, 2W] (Backend.upsampleNearest2x).
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) writeonly buffer O { float o[]; };
layout(push_constant) uniform P { uint n; uint h; uint w; } p;   // n = P·4HW
#include "grid.glsl"
void main() {
    uint i = gridItem();
    if (i >= p.n) return;
    uint ow = 2u * p.w, plane = i / (4u * p.h * p.w), rem = i % (4u * p.h * p.w);
    uint y = rem / ow, x = rem % ow;
    o[i] = a[(plane * p.h + y / 2u) * p.w + x / 2u];
}
