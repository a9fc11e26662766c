#version 450
// FLUX DiagonalGaussian sample from moments [B, 2·Z, S] (mean = channels 0..Z-1, logvar = Z..2Z-1) and noise
// [B, Z, S]: out [B, Z, S] = mean + exp(0.5·logvar)·noise, std rounded to float first as DiagonalGaussian.std.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer M { float m[]; };
layout(std430, binding = 1) readonly buffer E { float e[]; };
layout(std430, binding = 2) writeonly buffer O { float o[]; };
layout(push_constant) uniform P { uint n; uint zs; } p;   // n = B·Z·S, zs = Z·S
#include "grid.glsl"
void main() {
    uint i = gridItem();
    if (i >= p.n) return;
    uint mi = (i / p.zs) * 2u * p.zs + i % p.zs;
    precise float half_lv = 0.5 * m[mi + p.zs];
    float std_ = exp(half_lv);
    precise float r = m[mi] + std_ * e[i];
    o[i] = r;
}
