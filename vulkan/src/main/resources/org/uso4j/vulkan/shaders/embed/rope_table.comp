#version 450
#extension GL_ARB_gpu_shader_fp64 : enable
// RoPE tables from token ids (FLUX EmbedND): ids [B, L, nAxes] float → pe [B, 1, L, half, 2, 2]. Pair j has the
// frequency ω_j (double, computed on the host) of axis axis_j; angle = id·ω_j in double, reduced in double, then
// [[cos, −sin], [sin, cos]] as float. One invocation per (token, pair).
layout(local_size_x = 256) in;
struct Freq { double omega; uint axis; uint pad; };
layout(std430, binding = 0) readonly buffer Ids { float ids[]; };
layout(std430, binding = 1) readonly buffer F { Freq freqs[]; };
layout(std430, binding = 2) writeonly buffer O { float o[]; };
layout(push_constant) uniform P { uint items; uint halfDim; uint axes; } p;
#include "grid.glsl"
#include "embed/trig.glsl"
void main() {
    uint i = gridItem();
    if (i >= p.items) return;
    uint j = i % p.halfDim, token = i / p.halfDim;
    Freq f = freqs[j];
    precise double angle = double(ids[token * p.axes + f.axis]) * f.omega;
    vec2 cs = cosSin(angle);
    o[4u * i] = cs.x;
    o[4u * i + 1u] = -cs.y;
    o[4u * i + 2u] = cs.y;
    o[4u * i + 3u] = cs.x;
}
