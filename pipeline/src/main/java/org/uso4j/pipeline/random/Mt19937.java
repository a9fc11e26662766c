package org.uso4j.pipeline.random;

/**
 * The 32-bit Mersenne Twister as PyTorch's CPU generator uses it ({@code at::mt19937},
 * ATen/core/MT19937RNGEngine.h): {@code init_genrand(seed)}, then the standard MT19937 twist and tempering.
 * The same stream as {@code numpy.random.RandomState(seed)}.
 */
public final class Mt19937 {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER = 0x80000000;
    private static final int LOWER = 0x7fffffff;

    private final int[] state = new int[N];
    private int next;

    /** Seeds with {@code init_genrand(seed)} (the seed is already reduced to 32 bits). */
    public Mt19937(int seed) {
        state[0] = seed;
        for (int j = 1; j < N; j++) {
            state[j] = 1812433253 * (state[j - 1] ^ (state[j - 1] >>> 30)) + j;
        }
        next = N;
    }

    /** The next 32-bit output, as an int holding the unsigned bits. */
    public int nextInt() {
        if (next >= N) twist();
        int y = state[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    private void twist() {
        for (int k = 0; k < N; k++) {
            int y = (state[k] & UPPER) | (state[(k + 1) % N] & LOWER);
            state[k] = state[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        next = 0;
    }
}
