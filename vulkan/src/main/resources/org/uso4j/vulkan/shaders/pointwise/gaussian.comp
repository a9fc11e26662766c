#version 450
// FLUX DiagonalGaussian sample (Backend.gaussianSample): mean, logvar and noise of one shape, n elements each:
// out = mean + exp(0.5·logvar)·noise, std rounded to float first as DiagonalGaussian.std.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer M { float mean[]; };
layout(std430, binding = 1) readonly buffer L { float logvar[]; };
layout(std430, binding = 2) readonly buffer E { float e[]; };
layout(std430, binding = 3) writeonly buffer O { float o[]; };
layout(push_constant) uniform P { uint n; } p;
#include "grid.glsl"
void main() {
    uint i = gridItem();
    if (i >= p.n) return;
    precise float half_lv = 0.5 * logvar[i];
    float std_ = exp(half_lv);
    precise float r = mean[i] + std_ * e[i];
    o[i] = r;
}
