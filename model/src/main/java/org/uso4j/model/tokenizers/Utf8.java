package org.uso4j.model.tokenizers;

/** UTF-8 helpers shared by the sentencepiece port (sentencepiece util.cc {@code OneCharLen}, {@code IsValidDecodeUTF8}). */
final class Utf8 {
    private Utf8() {}

    /** Byte length implied by a lead byte (util.h OneCharLen: "\1\1\1\1\1\1\1\1\1\1\1\1\2\2\3\4"[b >> 4]). */
    static int oneCharLen(byte lead) {
        int hi = (lead & 0xFF) >>> 4;
        return hi < 12 ? 1 : hi < 14 ? 2 : hi == 14 ? 3 : 4;
    }

    /** Length of the valid UTF-8 character at {@code pos}, or 0 if malformed (strict: no overlongs, no surrogates). */
    static int validCharLength(byte[] b, int pos) {
        int c = b[pos] & 0xFF;
        if (c < 0x80) return 1;
        int n, min, cp;
        if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1F; min = 0x80; }
        else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; min = 0x800; }
        else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07; min = 0x10000; }
        else return 0;
        if (pos + n > b.length) return 0;
        for (int i = 1; i < n; i++) {
            int t = b[pos + i] & 0xFF;
            if ((t & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (t & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
        return n;
    }
}
