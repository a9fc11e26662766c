#version 450
// out[i] = element i of a stored tensor decoded to float32 by WLOAD (dtype.glsl), i < n.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer W { uint w[]; };
layout(std430, binding = 1) writeonly buffer O { float o[]; };
layout(push_constant) uniform P { uint n; } p;
#include "grid.glsl"
#include "dtype.glsl"
void main() {
    uint i = gridItem();
    if (i < p.n) o[i] = WLOAD(w, i);
}
