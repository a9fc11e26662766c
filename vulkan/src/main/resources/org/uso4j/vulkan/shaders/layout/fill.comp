#version 450
// out[i] = the bits of value, i < n (zeros, a zeroed status word).
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer O { uint o[]; };
layout(push_constant) uniform P { uint n; uint value; } p;
#include "grid.glsl"
void main() {
    uint i = gridItem();
    if (i < p.n) o[i] = p.value;
}
