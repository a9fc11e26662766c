package org.uso4j.model.tokenizers;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.uso4j.core.io.CheckpointException;

/**
 * sentencepiece's precompiled normalization rules (normalizer.cc {@code DecodePrecompiledCharsMap} +
 * darts-clone {@code commonPrefixSearch}): blob = u32le trie size T, T bytes of a darts-clone double array
 * (u32le units), then NUL-terminated replacement strings. A trie value is an offset into that string blob.
 */
final class PrecompiledCharsMap {
    private final int[] units;
    private final byte[] normalized;

    /** A rule match: the input prefix length it consumes and the replacement (UTF-8 bytes). */
    record Match(int consumed, int replacementOffset, int replacementLength) {}

    PrecompiledCharsMap(byte[] blob, String source) {
        if (blob.length <= 4) throw new CheckpointException(source + ": precompiled_charsmap too short (" + blob.length + " bytes)");
        ByteBuffer bb = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        long trieSize = Integer.toUnsignedLong(bb.getInt(0));
        if (trieSize >= blob.length - 4L || trieSize % 4 != 0)
            throw new CheckpointException(source + ": precompiled_charsmap trie size " + trieSize + " does not fit the " + blob.length + "-byte blob");
        units = new int[(int) trieSize / 4];
        for (int i = 0; i < units.length; i++) units[i] = bb.getInt(4 + 4 * i);
        normalized = java.util.Arrays.copyOfRange(blob, 4 + (int) trieSize, blob.length);
        if (units.length == 0) throw new CheckpointException(source + ": precompiled_charsmap has an empty trie");
    }

    byte[] strings() { return normalized; }

    /**
     * Longest rule matching a prefix of {@code key[from, to)}, or null (normalizer.cc {@code NormalizePrefix}:
     * among all prefix matches the longest wins).
     */
    Match longestPrefix(byte[] key, int from, int to) {
        // darts-clone DoubleArrayImpl::commonPrefixSearch, node_pos starting at 0.
        int nodePos = 0;
        int unit = units[0];
        nodePos ^= offset(unit);
        int bestLen = 0, bestValue = 0;
        for (int i = from; i < to; i++) {
            int c = key[i] & 0xFF;
            nodePos ^= c;
            if (nodePos < 0 || nodePos >= units.length) return result(bestLen, bestValue);
            unit = units[nodePos];
            if (label(unit) != c) return result(bestLen, bestValue);
            nodePos ^= offset(unit);
            if (hasLeaf(unit)) {
                if (nodePos < 0 || nodePos >= units.length) throw new CheckpointException("precompiled_charsmap: leaf outside the trie");
                bestLen = i + 1 - from;
                bestValue = value(units[nodePos]);
            }
        }
        return result(bestLen, bestValue);
    }

    private Match result(int len, int value) {
        if (len == 0) return null;
        if (value < 0 || value >= normalized.length)
            throw new CheckpointException("precompiled_charsmap: replacement offset " + value + " outside the " + normalized.length + "-byte string blob");
        int e = value;
        while (e < normalized.length && normalized[e] != 0) e++;
        return new Match(len, value, e - value);
    }

    // DoubleArrayUnit accessors (darts.h).
    private static boolean hasLeaf(int unit) { return ((unit >>> 8) & 1) == 1; }
    private static int value(int unit) { return unit & 0x7FFFFFFF; }
    private static int label(int unit) { return unit & (0x80000000 | 0xFF); }
    private static int offset(int unit) { return (unit >>> 10) << ((unit & (1 << 9)) >>> 6); }
}
