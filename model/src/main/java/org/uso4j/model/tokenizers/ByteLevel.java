package org.uso4j.model.tokenizers;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2 / CLIP {@code bytes_to_unicode}: every byte gets a printable character. Bytes {@code !..~},
 * {@code ¡..¬}, {@code ®..ÿ} map to themselves; the other 68 map to U+0100.. in increasing byte order.
 */
final class ByteLevel {
    /** BYTE_TO_CHAR[b]: the character of byte b. */
    static final char[] BYTE_TO_CHAR = new char[256];
    /** Bytes in the order of the reference's {@code bytes_to_unicode().values()} (OpenAI's vocab order). */
    static final int[] ORDER = new int[256];

    static {
        int k = 0;
        boolean[] printable = new boolean[256];
        for (int b = 0; b < 256; b++) {
            printable[b] = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            if (printable[b]) { BYTE_TO_CHAR[b] = (char) b; ORDER[k++] = b; }
        }
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (!printable[b]) { BYTE_TO_CHAR[b] = (char) (256 + n++); ORDER[k++] = b; }
        }
    }

    private ByteLevel() {}

    /** UTF-8 bytes of {@code s}, each as its byte-level character. */
    static String encode(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        return new String(out);
    }
}
