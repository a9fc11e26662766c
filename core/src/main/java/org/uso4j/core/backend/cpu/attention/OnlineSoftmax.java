package org.uso4j.core.backend.cpu.attention;

import static org.uso4j.core.backend.cpu.simd.VectorMath.F;
import static org.uso4j.core.backend.cpu.simd.VectorMath.FL;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import org.uso4j.core.backend.cpu.simd.VectorMath;

/**
 * One score row's step of the online softmax (FlashAttention's recurrence), shared by the attention kernels: the
 * row {@code s[so, so + width)} of raw scores for one key block becomes {@code exp(score·scale + bias - m)} with the
 * running maximum m updated; keys {@code >= valid} are masked (probability 0).
 */
public final class OnlineSoftmax {
    private OnlineSoftmax() {}

    /** Returned by {@link #update} when no key so far is visible: the row was zeroed and the output is untouched. */
    public static final double SKIP = Double.NaN;

    /**
     * Updates row i: {@code m[i]} (running max), {@code l[i]} (running sum, double) and the scores in place.
     * {@code width} is a multiple of {@link VectorMath#FL}; {@code bias} may be null (else read at {@code bo});
     * {@code lanes} is scratch of {@link VectorMath#SUM_LANES} floats.
     *
     * @return the factor the row's running output must be multiplied by before this block's {@code P·V} is added
     *         (0 on the first visible block, 1 when the maximum did not move), or {@link #SKIP}
     */
    public static double update(float[] s, int so, int width, int valid, float scale, float[] bias, int bo, float[] m, double[] l, int i,
                         float[] lanes) {
        if (valid <= 0) {
            Arrays.fill(s, so, so + width, 0f);
            return SKIP;
        }
        FloatVector mx = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int c = 0; c < width; c += FL) {
            VectorMask<Float> in = F.indexInRange(c, valid);
            FloatVector x = FloatVector.fromArray(F, s, so + c).mul(scale);
            if (bias != null) x = x.add(FloatVector.fromArray(F, bias, bo + c, in));
            x = x.blend(Float.NEGATIVE_INFINITY, in.not());
            x.intoArray(s, so + c);
            mx = mx.max(x);
        }
        float mNew = Math.max(m[i], VectorMath.max(mx));
        if (mNew == Float.NEGATIVE_INFINITY) { // every key so far masked out: nothing to add yet
            Arrays.fill(s, so, so + width, 0f);
            return SKIP;
        }
        double corr = m[i] == mNew ? 1 : m[i] == Float.NEGATIVE_INFINITY ? 0 : StrictMath.exp((double) m[i] - mNew);
        m[i] = mNew;
        VectorMath.expShifted(s, so, s, so, width, mNew, lanes); // masked (-inf) scores give 0
        double sum = 0;
        for (int j = 0; j < VectorMath.SUM_LANES; j++) sum += lanes[j]; // lane order, in double: the same at every width
        l[i] = l[i] * corr + sum;
        return corr;
    }
}
