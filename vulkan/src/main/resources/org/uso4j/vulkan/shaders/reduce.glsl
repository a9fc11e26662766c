// Sum of one float per invocation over the work group (power-of-two size), by a shared-memory tree.
// Call from uniform control flow; every invocation gets the sum.
shared float reduceBuf[gl_WorkGroupSize.x];
float groupSum(float v) {
    uint t = gl_LocalInvocationID.x;
    reduceBuf[t] = v;
    barrier();
    for (uint s = gl_WorkGroupSize.x / 2u; s > 0u; s >>= 1u) {
        if (t < s) reduceBuf[t] += reduceBuf[t + s];
        barrier();
    }
    float r = reduceBuf[0];
    barrier();
    return r;
}
