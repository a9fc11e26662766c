#version 450
// flag[0] |= 1 when some x[i], i < n, is NaN or ±Inf (the flag word is zeroed before). Only invocations that find
// one write, so the common all-finite case makes no atomic traffic.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) buffer F { uint flag[]; };
layout(push_constant) uniform P { uint n; } p;
#include "grid.glsl"
#include "bits.glsl"
void main() {
    uint i = gridItem();
    if (i >= p.n) return;
    if (nonFinite(x[i])) atomicOr(flag[0], 1u);
}
