#version 450
// Backend.embedding: out[i, c] = table[ids[i], c] decoded from the table's stored dtype (weights.glsl define);
// an id outside [0, vocab) gives a row of NaN (the host-side overload refuses such ids before dispatching).
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Ids { int ids[]; };
layout(std430, binding = 2) writeonly buffer O { float o[]; };
layout(push_constant) uniform P { uint count; uint dim; uint vocab; } p;
#include "weights.glsl"
#include "grid.glsl"

void main() {
    uint item = gridItem();
    if (item >= p.count * p.dim) return;
    uint i = item / p.dim, c = item % p.dim;
    int id = ids[i];
    o[item] = id < 0 || uint(id) >= p.vocab ? uintBitsToFloat(0x7FC00000u) : weightAt(uint(id) * p.dim + c);
}
