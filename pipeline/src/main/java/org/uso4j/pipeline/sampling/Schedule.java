package org.uso4j.pipeline.sampling;

/**
 * The FLUX sampling schedule ({@code uso/flux/sampling.py get_schedule}): {@code linspace(1, 0, n+1)} in float32,
 * shifted towards high timesteps by {@code time_shift(mu, 1, t) = e^mu / (e^mu + (1/t − 1))} with mu on the line
 * through (256, base_shift) and (4096, max_shift). Float32 operation order as PyTorch's, bit-exact.
 */
public final class Schedule {
    public static final double BASE_SHIFT = 0.5;
    public static final double MAX_SHIFT = 1.15;
    private static final double X1 = 256, X2 = 4096;

    private Schedule() {}

    /** mu for {@code imageSeqLen} (get_lin_function in float64). */
    public static double mu(int imageSeqLen, double baseShift, double maxShift) {
        double m = (maxShift - baseShift) / (X2 - X1);
        double b = baseShift - m * X1;
        return m * imageSeqLen + b;
    }

    /** {@code num_steps + 1} timesteps from 1 to 0. */
    public static float[] get(int numSteps, int imageSeqLen, double baseShift, double maxShift, boolean shift) {
        if (numSteps < 1) throw new IllegalArgumentException("num_steps must be >= 1, got " + numSteps);
        float[] t = linspace(1f, 0f, numSteps + 1);
        if (shift) {
            float e = (float) Math.exp(mu(imageSeqLen, baseShift, maxShift));
            for (int i = 0; i < t.length; i++) t[i] = (1f / (e + (1f / t[i] - 1f))) * e;
        }
        return t;
    }

    public static float[] get(int numSteps, int imageSeqLen) { return get(numSteps, imageSeqLen, BASE_SHIFT, MAX_SHIFT, true); }

    /** The image_seq_len USOPipeline passes: {@code (width // 8) * (height // 8) // 256} (not the token count). */
    public static int pipelineSeqLen(int width, int height) { return (width / 8) * (height / 8) / 256; }

    /** PyTorch's float32 linspace: the first half steps up from start, the second half down from end. */
    static float[] linspace(float start, float end, int steps) {
        float[] out = new float[steps];
        if (steps == 1) {
            out[0] = start;
            return out;
        }
        float step = (end - start) / (steps - 1);
        int half = steps / 2;
        for (int i = 0; i < steps; i++) out[i] = i < half ? start + step * i : end - step * (steps - i - 1);
        return out;
    }
}
