#version 450
// Strided block copy (concat's parts, slice): for block r < n / len and j < len,
// out[dstOff + r·dstStride + j] = a[srcOff + r·srcStride + j]; n = blocks · len items.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) buffer O { float o[]; };   // read-write: other parts of it are written by other copies
layout(push_constant) uniform P { uint n; uint len; uint srcStride; uint srcOff; uint dstStride; uint dstOff; } p;
#include "grid.glsl"
void main() {
    uint i = gridItem();
    if (i >= p.n) return;
    uint r = i / p.len, j = i % p.len;
    o[p.dstOff + r * p.dstStride + j] = a[p.srcOff + r * p.srcStride + j];
}
