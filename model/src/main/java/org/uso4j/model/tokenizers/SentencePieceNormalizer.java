package org.uso4j.model.tokenizers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Port of sentencepiece normalizer.cc {@code Normalizer::Normalize} (0.1.97) without the offset mapping:
 * precompiled-charsmap rules (longest prefix), heading / trailing / repeated whitespace removal, dummy prefix
 * and {@code ' ' -> '▁'} escaping. Works on UTF-8 bytes like the C++ code.
 */
final class SentencePieceNormalizer {
    private static final byte[] SPACE_SYMBOL = "\u2581".getBytes(StandardCharsets.UTF_8); // e2 96 81
    private static final byte[] REPLACEMENT = "\uFFFD".getBytes(StandardCharsets.UTF_8);

    private final PrecompiledCharsMap charsMap; // null: no rules (identity)
    private final boolean addDummyPrefix, removeExtraWhitespaces, escapeWhitespaces;
    private final List<byte[]> userDefined;     // matched before the rules and kept verbatim

    SentencePieceNormalizer(PrecompiledCharsMap charsMap, boolean addDummyPrefix, boolean removeExtraWhitespaces,
                            boolean escapeWhitespaces, List<String> userDefinedSymbols) {
        this.charsMap = charsMap;
        this.addDummyPrefix = addDummyPrefix;
        this.removeExtraWhitespaces = removeExtraWhitespaces;
        this.escapeWhitespaces = escapeWhitespaces;
        this.userDefined = userDefinedSymbols.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** Normalizes {@code text}; the result is UTF-8 (empty for empty or all-whitespace input). */
    byte[] normalize(String text) {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        int pos = 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length * 3 + 3);
        if (in.length == 0) return new byte[0];
        // Ignores heading space.
        if (removeExtraWhitespaces) {
            while (pos < in.length) {
                Prefix p = normalizePrefix(in, pos);
                if (!(p.length == 1 && p.bytes[p.offset] == ' ')) break;
                pos += p.consumed;
            }
        }
        if (pos >= in.length) return new byte[0]; // all chars are whitespace
        if (addDummyPrefix) appendSpace(out);
        boolean isPrevSpace = removeExtraWhitespaces;
        while (pos < in.length) {
            Prefix p = normalizePrefix(in, pos);
            int s = p.offset, e = p.offset + p.length;
            // Removes heading space.
            if (isPrevSpace) while (s < e && p.bytes[s] == ' ') s++;
            if (s < e) {
                for (int n = s; n < e; n++) {
                    if (escapeWhitespaces && p.bytes[n] == ' ') out.writeBytes(SPACE_SYMBOL);
                    else out.write(p.bytes[n]);
                }
                // Checks whether the last character of sp is whitespace.
                isPrevSpace = p.bytes[e - 1] == ' ';
            }
            pos += p.consumed;
            if (!removeExtraWhitespaces) isPrevSpace = false;
        }
        byte[] r = out.toByteArray();
        int len = r.length;
        // Ignores tailing space.
        if (removeExtraWhitespaces) {
            byte[] space = escapeWhitespaces ? SPACE_SYMBOL : new byte[]{' '};
            while (endsWith(r, len, space)) len -= space.length;
        }
        return len == r.length ? r : java.util.Arrays.copyOf(r, len);
    }

    private void appendSpace(ByteArrayOutputStream out) {
        if (escapeWhitespaces) out.writeBytes(SPACE_SYMBOL);
        else out.write(' ');
    }

    private static boolean endsWith(byte[] a, int len, byte[] suffix) {
        if (len < suffix.length) return false;
        for (int i = 0; i < suffix.length; i++) if (a[len - suffix.length + i] != suffix[i]) return false;
        return true;
    }

    /** The replacement bytes[offset, offset+length) for the input prefix at pos, consuming {@code consumed} bytes. */
    private record Prefix(byte[] bytes, int offset, int length, int consumed) {}

    // normalizer.cc NormalizePrefix
    private Prefix normalizePrefix(byte[] in, int pos) {
        int bestUser = 0;
        for (byte[] u : userDefined) {
            if (u.length > bestUser && u.length <= in.length - pos && java.util.Arrays.equals(in, pos, pos + u.length, u, 0, u.length))
                bestUser = u.length;
        }
        if (bestUser > 0) return new Prefix(in, pos, bestUser, bestUser);
        if (charsMap != null) {
            PrecompiledCharsMap.Match m = charsMap.longestPrefix(in, pos, in.length);
            if (m != null) return new Prefix(charsMap.strings(), m.replacementOffset(), m.replacementLength(), m.consumed());
        }
        int n = Utf8.validCharLength(in, pos);
        // A malformed byte becomes U+FFFD but consumes only one byte.
        if (n == 0) return new Prefix(REPLACEMENT, 0, REPLACEMENT.length, 1);
        return new Prefix(in, pos, n, n);
    }
}
