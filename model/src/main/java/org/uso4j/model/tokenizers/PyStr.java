package org.uso4j.model.tokenizers;

/** Python {@code str} whitespace semantics ({@code str.isspace}, {@code strip}), which the reference tokenizers use. */
final class PyStr {
    private PyStr() {}

    /**
     * Python's {@code str.isspace()} for one code point: bidirectional class WS/B/S or category Zs
     * (U+0009-000D, U+001C-001F, U+0020, U+0085, U+00A0, U+1680, U+2000-200A, U+2028/2029, U+202F, U+205F, U+3000).
     */
    static boolean isSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /**
     * The {@code regex} module's {@code \s} (Unicode White_Space): like {@link #isSpace} but without U+001C-001F.
     */
    static boolean isRegexSpace(int cp) {
        return isSpace(cp) && !(cp >= 0x1C && cp <= 0x1F);
    }

    static String lstrip(String s) {
        int i = 0;
        while (i < s.length() && isSpace(s.codePointAt(i))) i += Character.charCount(s.codePointAt(i));
        return s.substring(i);
    }

    static String rstrip(String s) {
        int e = s.length();
        while (e > 0 && isSpace(s.codePointBefore(e))) e -= Character.charCount(s.codePointBefore(e));
        return s.substring(0, e);
    }

    static String strip(String s) { return lstrip(rstrip(s)); }
}
