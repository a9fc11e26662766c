package org.uso4j.model.tokenizers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ftfy 6.3.1 {@code fix_encoding} (ftfy/__init__.py {@code _fix_encoding_one_step_and_explain}, applied until
 * nothing changes): text that looks like UTF-8 decoded with a single-byte codec ({@code is_bad}) is re-encoded
 * with the first codec that can represent it and decoded as UTF-8; then {@code decode_inconsistent_utf8},
 * Latin-1 read as Windows-1252, and C1 controls.
 */
final class MojibakeFixer {
    private static final Pattern BADNESS = Pattern.compile(FtfyTables.BADNESS_RE, Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern UTF8_DETECTOR = Pattern.compile(FtfyTables.UTF8_DETECTOR_RE, Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern C1_CONTROL = Pattern.compile("[\\x80-\\x9f]");
    // Byte patterns run on ISO-8859-1 strings (one char per byte).
    private static final Pattern ALTERED_UTF8 = Pattern.compile(
            "[\\xc2\\xc3\\xc5\\xce\\xd0\\xd9][ ]"
            + "|[\\xe2\\xe3][ ][\\x80-\\x84\\x86-\\x9f\\xa1-\\xbf]"
            + "|[\\xe0-\\xe3][\\x80-\\x84\\x86-\\x9f\\xa1-\\xbf][ ]"
            + "|[\\xf0][ ][\\x80-\\xbf][\\x80-\\xbf]"
            + "|[\\xf0][\\x80-\\xbf][ ][\\x80-\\xbf]"
            + "|[\\xf0][\\x80-\\xbf][\\x80-\\xbf][ ]");
    private static final Pattern LOSSY_UTF8 = Pattern.compile(
            "[\\xc2-\\xdf][\\x1a]"
            + "|[\\xc2-\\xc3][?]"
            + "|\\xed[\\xa0-\\xaf][\\x1a?]\\xed[\\xb0-\\xbf][\\x1a?\\x80-\\xbf]"
            + "|\\xed[\\xa0-\\xaf][\\x1a?\\x80-\\xbf]\\xed[\\xb0-\\xbf][\\x1a?]"
            + "|[\\xe0-\\xef][\\x1a?][\\x1a\\x80-\\xbf]"
            + "|[\\xe0-\\xef][\\x1a\\x80-\\xbf][\\x1a?]"
            + "|[\\xf0-\\xf4][\\x1a?][\\x1a\\x80-\\xbf][\\x1a\\x80-\\xbf]"
            + "|[\\xf0-\\xf4][\\x1a\\x80-\\xbf][\\x1a?][\\x1a\\x80-\\xbf]"
            + "|[\\xf0-\\xf4][\\x1a\\x80-\\xbf][\\x1a\\x80-\\xbf][\\x1a?]"
            + "|\\x1a");
    private static final Pattern A_GRAVE_WORD = Pattern.compile("\\xc3 (?! |quele|quela|quilo|s )");
    private static final String LOSSY_REPLACEMENT = new String("\uFFFD".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);

    /** Encoders (char -> byte) per charmap; -1 where the codec cannot represent the char. */
    private static final Map<Character, Integer>[] ENCODERS = encoders();

    private MojibakeFixer() {}

    static boolean isBad(String text) { return BADNESS.matcher(text).find(); }

    static String fixEncoding(String text) {
        while (true) {
            String prev = text;
            text = oneStep(text);
            if (text.equals(prev)) return text;
        }
    }

    private static String oneStep(String text) {
        if (text.isEmpty() || isAscii(text) || !isBad(text)) return text;
        boolean latin1Possible = false;
        for (int k = 0; k < FtfyTables.CHARMAP_NAMES.length; k++) {
            byte[] encoded = encode(text, k);
            if (encoded == null) continue;
            String name = FtfyTables.CHARMAP_NAMES[k];
            if (k == 0) latin1Possible = true;
            String bytes = new String(encoded, StandardCharsets.ISO_8859_1);
            if (!name.equals("macroman") && ALTERED_UTF8.matcher(bytes).find()) bytes = restoreByteA0(bytes);
            if (name.startsWith("sloppy")) bytes = LOSSY_UTF8.matcher(bytes).replaceAll(LOSSY_REPLACEMENT);
            String fixed = decodeUtf8Variants(bytes.getBytes(StandardCharsets.ISO_8859_1));
            if (fixed != null) return fixed;
        }
        if (UTF8_DETECTOR.matcher(text).find()) {
            String fixed = decodeInconsistentUtf8(text);
            if (!fixed.equals(text)) return fixed;
        }
        if (latin1Possible) {
            // Latin-1 characters outside Windows-1252 are C1 controls: assume Windows-1252 was meant (strict decode).
            String fixed = latin1AsWindows1252(text);
            if (fixed != null && !fixed.equals(text)) return fixed;
        }
        if (C1_CONTROL.matcher(text).find()) return fixC1Controls(text);
        return text;
    }

    /** fixes.fix_c1_controls: each U+0080-009F re-read as sloppy Windows-1252. */
    static String fixC1Controls(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(c >= 0x80 && c <= 0x9F ? FtfyTables.CHARMAP_TABLES[1].charAt(c) : c);
        }
        return sb.toString();
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) > 0x7F) return false;
        return true;
    }

    /** text.encode(codec k), or null if some char is not in the codec (chardata.possible_encoding). */
    private static byte[] encode(String text, int k) {
        byte[] out = new byte[text.length()];
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80 && c != 0x1A) { out[i] = (byte) c; continue; }
            Integer b = ENCODERS[k].get(c);
            if (b == null || b < 0x80 && b != 0x1A) return null;
            out[i] = (byte) (int) b;
        }
        return out;
    }

    private static String latin1AsWindows1252(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        String table = FtfyTables.CHARMAP_TABLES[1];
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0xFF) return null;
            if (c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D) return null; // undefined in cp1252
            sb.append(c >= 0x80 && c <= 0x9F ? table.charAt(c) : c);
        }
        return sb.toString();
    }

    // fixes.restore_byte_a0
    private static String restoreByteA0(String bytes) {
        bytes = A_GRAVE_WORD.matcher(bytes).replaceAll("\u00c3\u00a0 ");
        Matcher m = ALTERED_UTF8.matcher(bytes);
        StringBuilder sb = new StringBuilder();
        while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement(m.group().replace(' ', '\u00a0')));
        m.appendTail(sb);
        return sb.toString();
    }

    // fixes.decode_inconsistent_utf8
    private static String decodeInconsistentUtf8(String text) {
        Matcher m = UTF8_DETECTOR.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String sub = m.group();
            String rep = sub.length() < text.length() && isBad(sub) ? fixEncoding(sub) : sub;
            m.appendReplacement(sb, Matcher.quoteReplacement(rep));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * ftfy's "utf-8-variants" codec (plain strict UTF-8 when neither 0xED nor 0xC0 occurs): also accepts
     * CESU-8 surrogate pairs and the Java-style {@code C0 80} for U+0000. Null when the bytes are not valid.
     */
    static String decodeUtf8Variants(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            if (c == 0xC0 && i + 1 < b.length && (b[i + 1] & 0xFF) == 0x80) { sb.append('\0'); i += 2; continue; }
            if (c == 0xED && i + 5 < b.length && isCesuPair(b, i)) {
                int hi = 0xD000 | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F);
                int lo = 0xD000 | ((b[i + 4] & 0x3F) << 6) | (b[i + 5] & 0x3F);
                sb.append((char) hi).append((char) lo);
                i += 6;
                continue;
            }
            int n = Utf8.validCharLength(b, i);
            if (n == 0) return null;
            sb.append(new String(b, i, n, StandardCharsets.UTF_8));
            i += n;
        }
        return sb.toString();
    }

    private static boolean isCesuPair(byte[] b, int i) {
        int b1 = b[i + 1] & 0xFF, b2 = b[i + 2] & 0xFF, b3 = b[i + 3] & 0xFF, b4 = b[i + 4] & 0xFF, b5 = b[i + 5] & 0xFF;
        return b1 >= 0xA0 && b1 <= 0xAF && (b2 & 0xC0) == 0x80 && b3 == 0xED && b4 >= 0xB0 && b4 <= 0xBF && (b5 & 0xC0) == 0x80;
    }

    @SuppressWarnings("unchecked")
    private static Map<Character, Integer>[] encoders() {
        Map<Character, Integer>[] r = new Map[FtfyTables.CHARMAP_TABLES.length];
        for (int k = 0; k < r.length; k++) {
            String t = FtfyTables.CHARMAP_TABLES[k];
            if (t.length() != 256) throw new IllegalStateException("FtfyTables charmap " + k + " has " + t.length() + " entries");
            Map<Character, Integer> m = new HashMap<>();
            for (int b = 0x80; b < 0x100; b++) m.putIfAbsent(t.charAt(b), b);
            m.putIfAbsent(t.charAt(0x1A), 0x1A);
            r[k] = Map.copyOf(m);
        }
        return r;
    }
}
