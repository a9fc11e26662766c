#version 450
#extension GL_ARB_gpu_shader_fp64 : enable
// Sinusoidal timestep embedding (Backend.timestepEmbedding): t [N] → o [N, dim]; a = (timeFactor·t)·f_j in float
// (f_j from the host, float32 as ScalarBackend), o[:, j] = cos a, o[:, half + j] = sin a, the last column 0 when dim
// is odd. One invocation per (row, j); items = N·max(half, 1) so that dim 1 still gets its zero.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer T { float ts[]; };
layout(std430, binding = 1) readonly buffer F { float freqs[]; };
layout(std430, binding = 2) writeonly buffer O { float o[]; };
layout(push_constant) uniform P { uint items; uint halfDim; uint dim; float timeFactor; } p;
#include "grid.glsl"
#include "embed/trig.glsl"
void main() {
    uint i = gridItem();
    if (i >= p.items) return;
    uint width = max(p.halfDim, 1u), j = i % width, r = i / width;
    if (j < p.halfDim) {
        float tt = p.timeFactor * ts[r];
        float a = tt * freqs[j];
        vec2 cs = cosSin(double(a));
        o[r * p.dim + j] = cs.x;
        o[r * p.dim + p.halfDim + j] = cs.y;
    }
    if (j == 0u && (p.dim & 1u) != 0u) o[r * p.dim + p.dim - 1u] = 0.0;
}
