package org.uso4j.model.tokenizers;

import java.text.Normalizer;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Port of {@code ftfy.fix_text} (ftfy 6.3.1, default {@code TextFixerConfig}), which CLIP's tokenizer applies
 * to every text: per line, repeatedly {@code unescape_html} (only while no '<' has been seen), {@code fix_encoding}
 * (mojibake), {@code fix_c1_controls}, {@code fix_latin_ligatures}, {@code fix_character_width},
 * {@code uncurl_quotes}, {@code fix_line_breaks}, {@code fix_surrogates}, {@code remove_terminal_escapes},
 * {@code remove_control_chars}, NFC, until the text stops changing.
 */
public final class TextFixer {
    private static final Pattern ANSI = Pattern.compile("\u001b\\[((?:\\d|;)*)([a-zA-Z])", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern C1_CONTROL = Pattern.compile("[\\x80-\\x9f]");
    private static final Map<Integer, String> LIGATURES = Map.ofEntries(
            Map.entry(0x0132, "IJ"), Map.entry(0x0133, "ij"), Map.entry(0x0149, "\u02bcn"),
            Map.entry(0x01F1, "DZ"), Map.entry(0x01F2, "Dz"), Map.entry(0x01F3, "dz"),
            Map.entry(0x01C4, "D\u017d"), Map.entry(0x01C5, "D\u017e"), Map.entry(0x01C6, "d\u017e"),
            Map.entry(0x01C7, "LJ"), Map.entry(0x01C8, "Lj"), Map.entry(0x01C9, "lj"),
            Map.entry(0x01CA, "NJ"), Map.entry(0x01CB, "Nj"), Map.entry(0x01CC, "nj"),
            Map.entry(0xFB00, "ff"), Map.entry(0xFB01, "fi"), Map.entry(0xFB02, "fl"),
            Map.entry(0xFB03, "ffi"), Map.entry(0xFB04, "ffl"), Map.entry(0xFB05, "\u017ft"), Map.entry(0xFB06, "st"));

    private TextFixer() {}

    /** {@code ftfy.fix_text(text)} with default settings. */
    public static String fixText(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean unescapeHtml = true; // "auto": switched off for good once a segment contains '<'
        int pos = 0;
        while (pos < text.length()) {
            int br = text.indexOf('\n', pos) + 1;
            if (br == 0) br = text.length();
            String segment = text.substring(pos, br);
            if (unescapeHtml && segment.indexOf('<') >= 0) unescapeHtml = false;
            out.append(fixSegment(segment, unescapeHtml));
            pos = br;
        }
        return out.toString();
    }

    // ftfy.fix_and_explain without the explanation
    private static String fixSegment(String text, boolean unescapeHtml) {
        while (true) {
            String orig = text;
            if (unescapeHtml) text = HtmlEntities.unescape(text);
            text = MojibakeFixer.fixEncoding(text);
            if (C1_CONTROL.matcher(text).find()) text = MojibakeFixer.fixC1Controls(text);
            text = fixLatinLigatures(text);
            text = fixCharacterWidth(text);
            text = uncurlQuotes(text);
            text = fixLineBreaks(text);
            text = fixSurrogates(text);
            text = ANSI.matcher(text).replaceAll("");
            text = removeControlChars(text);
            text = Normalizer.normalize(text, Normalizer.Form.NFC);
            if (text.equals(orig)) return text;
        }
    }

    static String fixLatinLigatures(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            String r = LIGATURES.get(cp);
            if (r != null) sb.append(r); else sb.appendCodePoint(cp);
        });
        return sb.toString();
    }

    /** chardata.WIDTH_MAP: U+3000 -> ' ', U+FF01-FFEF -> their NFKC form. */
    static String fixCharacterWidth(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0x3000) sb.append(' ');
            else if (c >= 0xFF01 && c <= 0xFFEF) sb.append(Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFKC));
            else sb.append(c);
        }
        return sb.toString();
    }

    /** U+02BC, U+2018-201B -> ', U+201C-201F -> ". */
    static String uncurlQuotes(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0x02BC || (c >= 0x2018 && c <= 0x201B)) sb.append('\'');
            else if (c >= 0x201C && c <= 0x201F) sb.append('"');
            else sb.append(c);
        }
        return sb.toString();
    }

    static String fixLineBreaks(String s) {
        return s.replace("\r\n", "\n").replace('\r', '\n').replace('\u2028', '\n').replace('\u2029', '\n').replace('\u0085', '\n');
    }

    /** Lone UTF-16 surrogates become U+FFFD (pairs are already one code point in Java). */
    static String fixSurrogates(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> sb.appendCodePoint(cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp));
        return sb.toString();
    }

    /** chardata.CONTROL_CHARS: U+0000-0008, 000B, 000E-001F, 007F, 206A-206F, FEFF, FFF9-FFFC removed. */
    static String removeControlChars(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean drop = c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F
                    || (c >= 0x206A && c <= 0x206F) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC);
            if (!drop) sb.append(c);
        }
        return sb.toString();
    }
}
