#version 450
// out (dims[0..rank-1], row-major) [i] = a[Σ idx_d · stride[d]]: output dimension d is the input dimension whose
// element stride is stride[d] (Backend.permute, rank ≤ 8).
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) writeonly buffer O { float o[]; };
layout(push_constant) uniform P { uint n; uint rank; uint dims[8]; uint stride[8]; } p;
#include "grid.glsl"
void main() {
    uint i = gridItem();
    if (i >= p.n) return;
    uint rest = i, src = 0u;
    for (int d = int(p.rank) - 1; d >= 0; d--) {
        uint len = p.dims[d];
        src += (rest % len) * p.stride[d];
        rest /= len;
    }
    o[i] = a[src];
}
