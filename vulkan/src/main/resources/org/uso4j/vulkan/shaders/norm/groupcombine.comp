#version 450
// GroupNorm, pass 2 of 3: one work group per group merges its chunks' (count, mean, M2) with Chan et al.'s
// pairwise formula (each invocation a strided run, then a shared-memory tree) and writes
// moments[g] = (mean, 1 / sqrt(M2 / len + eps)).
layout(local_size_x = 128) in;
layout(std430, binding = 0) readonly buffer S { vec2 stats[]; };
layout(std430, binding = 1) writeonly buffer M { vec2 moments[]; };
layout(push_constant) uniform P { uint len; uint chunk; uint chunks; float eps; } p;
shared vec3 part[gl_WorkGroupSize.x];   // (count, mean, M2)
vec3 merge(vec3 a, vec3 b) {
    if (a.x == 0.0) return b;
    if (b.x == 0.0) return a;
    float n = a.x + b.x, d = b.y - a.y;
    return vec3(n, a.y + d * (b.x / n), a.z + b.z + d * d * (a.x * (b.x / n)));
}
void main() {
    uint g = gl_WorkGroupID.x, t = gl_LocalInvocationID.x, step = gl_WorkGroupSize.x;
    vec3 acc = vec3(0.0);
    for (uint k = t; k < p.chunks; k += step) {
        vec2 s = stats[g * p.chunks + k];
        acc = merge(acc, vec3(float(min(p.chunk, p.len - k * p.chunk)), s.x, s.y));
    }
    part[t] = acc;
    barrier();
    for (uint s = step / 2u; s > 0u; s >>= 1u) {
        if (t < s) part[t] = merge(part[t], part[t + s]);
        barrier();
    }
    if (t == 0u) moments[g] = vec2(part[0].y, 1.0 / sqrt(part[0].z / float(p.len) + p.eps));
}
