// act(x) for the Activation picked by ACT_SILU, ACT_GELU_TANH, ACT_GELU_ERF, ACT_QUICK_GELU or ACT_RELU (none: x),
// as core's ScalarBackend.activate. Tails are written as x·sigmoid(·) so that 1 + tanh / 1 + erf never cancel.
#include "bits.glsl"
#include "erf.glsl"
float act(float x) {
#if defined(ACT_SILU)
    return x / (1.0 + exp(-x));
#elif defined(ACT_GELU_TANH)
    // 0.5·x·(1 + tanh(u)) = x·sigmoid(2u), u = √(2/π)·(x + 0.044715·x³)
    float u = 0.7978845608028654 * (x + 0.044715 * x * x * x);
    return x / (1.0 + exp(-2.0 * u));
#elif defined(ACT_GELU_ERF)
    return 0.5 * x * onePlusErf(x * 0.7071067811865476);
#elif defined(ACT_QUICK_GELU)
    return x / (1.0 + exp(-1.702 * x));
#elif defined(ACT_RELU)
    return (x > 0.0 || isNaNBits(x)) ? x : 0.0;   // Math.max(x, 0f): NaN stays NaN, -0 gives +0
#else
    return x;
#endif
}
