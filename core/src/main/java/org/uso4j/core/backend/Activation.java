package org.uso4j.core.backend;

import org.uso4j.core.backend.cpu.Pointwise;

/** Pointwise nonlinearities used by the networks (formulas as the reference implementations). */
public enum Activation {
    /** x · sigmoid(x) (PyTorch SiLU, the VAE's swish). */
    SILU,
    /** 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))): FLUX's GELU(approximate="tanh"), SigLIP, T5 gelu_new. */
    GELU_TANH,
    /** 0.5·x·(1 + erf(x/√2)): exact GELU (DINO, CSD heads). */
    GELU_ERF,
    /** x · sigmoid(1.702·x): CLIP's quick_gelu. */
    QUICK_GELU,
    RELU
}
