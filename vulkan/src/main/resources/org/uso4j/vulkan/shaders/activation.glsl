// Backend activations (core's Activation, formulas of ScalarBackend.activate) in float32, chosen by a code the op
// passes at run time (one pipeline for all): ACT_NONE, ACT_SILU, ACT_GELU_TANH, ACT_GELU_ERF, ACT_QUICK_GELU, ACT_RELU.
#define ACT_NONE 0u
#define ACT_SILU 1u
#define ACT_GELU_TANH 2u
#define ACT_GELU_ERF 3u
#define ACT_QUICK_GELU 4u
#define ACT_RELU 5u

float sigmoidOf(float x) { return 1.0 / (1.0 + exp(-x)); }

float tanhOf(float x) { // tanh without the overflow of (e^2x - 1)/(e^2x + 1) for large |x|
    float t = exp(-2.0 * abs(x));
    return sign(x) * (1.0 - t) / (1.0 + t);
}

float erfOf(float x) { // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7)
    float a = abs(x), t = 1.0 / (1.0 + 0.3275911 * a);
    float p = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
    return sign(x) * (1.0 - p * exp(-a * a));
}

float activate(uint kind, float x) {
    switch (kind) {
        case ACT_SILU: return x * sigmoidOf(x);
        case ACT_GELU_TANH: return 0.5 * x * (1.0 + tanhOf(0.7978845608028654 * (x + 0.044715 * x * x * x)));
        case ACT_GELU_ERF: return 0.5 * x * (1.0 + erfOf(x * 0.7071067811865476));
        case ACT_QUICK_GELU: return x * sigmoidOf(1.702 * x);
        case ACT_RELU: return max(x, 0.0);
        default: return x;
    }
}
