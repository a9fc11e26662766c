#version 450
// GroupNorm, pass 3 of 3, elementwise over x [B, C, S] (groups of cg = C/G channels): out = act(((x - mean) · inv)
// · w[c] + b[c]) with (mean, inv) of the element's group; w, b decoded by WLOAD / BLOAD when HAS_W / HAS_B, act by
// ACT_*. Work group y is the channel, z the batch; invocations along x stride over the spatial positions.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer M { vec2 moments[]; };
layout(std430, binding = 2) readonly buffer W { uint w[]; };
layout(std430, binding = 3) readonly buffer Bias { uint b[]; };
layout(std430, binding = 4) writeonly buffer O { float o[]; };
layout(push_constant) uniform P { uint spatial; uint channels; uint cg; uint groups; } p;
#include "dtype.glsl"
#include "act.glsl"
void main() {
    uint ch = gl_WorkGroupID.y, n = gl_WorkGroupID.z;
    vec2 m = moments[n * p.groups + ch / p.cg];
#ifdef HAS_W
    float wc = WLOAD(w, ch);
#endif
#ifdef HAS_B
    float bc = BLOAD(b, ch);
#endif
    uint base = (n * p.channels + ch) * p.spatial;
    for (uint s = gl_GlobalInvocationID.x; s < p.spatial; s += gl_NumWorkGroups.x * gl_WorkGroupSize.x) {
        precise float v = (x[base + s] - m.x) * m.y;
#ifdef HAS_W
        v = v * wc;
#endif
#ifdef HAS_B
        v = v + bc;
#endif
        o[base + s] = act(v);
    }
}
