#version 450
// Per-(batch, channel) pointwise ops on x [B, L, C] with u, v laid out as noted (c = channel, n = batch):
//   MODULATE: out = (1 + scale[n, c]) · x + shift[n, c]      u = shift [B, C], v = scale [B, C]  (Backend.modulate)
//   GATED:    out = x + gate[n, c] · y                      u = gate [B, C],  v = y [B, L, C]   (Backend.addGated)
// Invocation x is the channel, work group z the batch; work groups along y stride over the tokens (no per-element
// division). precise: rounded as ScalarBackend's float expressions (no fused multiply-add).
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer U { float u[]; };
layout(std430, binding = 2) readonly buffer V { float v[]; };
layout(std430, binding = 3) writeonly buffer O { float o[]; };
layout(push_constant) uniform P { uint tokens; uint c; } p;
void main() {
    uint ch = gl_GlobalInvocationID.x, n = gl_WorkGroupID.z;
    if (ch >= p.c) return;
    uint bc = n * p.c + ch;
#ifdef MODULATE
    precise float s1 = 1.0 + v[bc];
    float sh = u[bc];
#else
    float g = u[bc];
#endif
    for (uint t = gl_WorkGroupID.y; t < p.tokens; t += gl_NumWorkGroups.y) {
        uint i = (n * p.tokens + t) * p.c + ch;
#ifdef MODULATE
        precise float r = s1 * x[i] + sh;
#else
        precise float r = x[i] + g * v[i];
#endif
        o[i] = r;
    }
}
