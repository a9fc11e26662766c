package org.uso4j.model.t5;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;

/**
 * The encoder's relative position bias (transformers {@code T5Attention.compute_bias} with
 * {@code bidirectional=True}): a learned table {@code [num_buckets, num_heads]} held by block 0 and added to the
 * attention scores of every block: {@code bias[h, i, j] = table[bucket(j - i), h]}.
 */
public final class T5RelativePositionBias {
    private final Tensor table; // relative_attention_bias.weight [num_buckets, num_heads]
    private final int numBuckets, maxDistance, heads;

    T5RelativePositionBias(Tensor table, int maxDistance) {
        this.table = table;
        this.numBuckets = table.dim(0);
        this.heads = table.dim(1);
        this.maxDistance = maxDistance;
    }

    /**
     * {@code T5Attention._relative_position_bucket(relative_position, bidirectional=True, num_buckets, max_distance)}
     * for one {@code relative_position = key - query}: the upper half of the buckets is for keys to the right; small
     * distances get one bucket each, larger ones logarithmically wider buckets up to {@code max_distance}, beyond
     * which everything shares the last bucket. The log is evaluated in float32 as transformers does.
     */
    public static int bucket(int relativePosition, int numBuckets, int maxDistance) {
        int nb = numBuckets / 2;
        int bucket = relativePosition > 0 ? nb : 0;
        int n = Math.abs(relativePosition);
        int maxExact = nb / 2;
        if (n < maxExact) return bucket + n;
        // max_exact + (log(n / max_exact) / log(max_distance / max_exact) * (num_buckets - max_exact)).to(long)
        float logRatio = (float) Math.log((float) n / (float) maxExact);
        float scaled = (float) (logRatio / Math.log((double) maxDistance / maxExact));
        scaled = scaled * (float) (nb - maxExact);
        long large = maxExact + (long) scaled;
        return bucket + (int) Math.min(large, nb - 1);
    }

    /** {@code compute_bias(query_length, key_length)}: [1, H, Lq, Lk]. */
    Tensor forward(Backend be, int queryLength, int keyLength) {
        long[] buckets = new long[queryLength * keyLength]; // relative_position_bucket [Lq, Lk]
        for (int i = 0; i < queryLength; i++)
            for (int j = 0; j < keyLength; j++) buckets[i * keyLength + j] = bucket(j - i, numBuckets, maxDistance);
        Tensor values = be.embedding(table, buckets).reshape(1, queryLength, keyLength, heads); // [1, Lq, Lk, H]
        return be.permute(values, 0, 3, 1, 2);                                                   // [1, H, Lq, Lk]
    }
}
