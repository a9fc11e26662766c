package org.uso4j.model.tokenizers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ftfy {@code fixes.unescape_html}: replaces {@code &name;} from ftfy's HTML5 entity table (plus its
 * upper-cased variants, resource {@code html_entities.tsv}) and numeric references as Python's
 * {@code html.unescape} does; anything else is left alone.
 */
final class HtmlEntities {
    private static final Pattern ENTITY = Pattern.compile("&#?[0-9A-Za-z]{1,24};");
    private static final Pattern DECIMAL = Pattern.compile("&#([0-9]+);");
    private static final Pattern HEX = Pattern.compile("&#[xX]([0-9a-fA-F]+);");
    private static final Map<String, String> TABLE = load();

    private HtmlEntities() {}

    static String unescape(String text) {
        if (text.indexOf('&') < 0) return text;
        Matcher m = ENTITY.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement(fixup(m.group())));
        m.appendTail(sb);
        return sb.toString();
    }

    private static String fixup(String entity) {
        String named = TABLE.get(entity);
        if (named != null) return named;
        if (!entity.startsWith("&#")) return entity;
        // html.unescape on "&#...;": only a complete decimal / hex reference is decoded; a partial decode
        // leaves a ';' behind, in which case ftfy keeps the original text.
        Matcher d = DECIMAL.matcher(entity), h = HEX.matcher(entity);
        String digits;
        int radix;
        if (d.matches()) { digits = d.group(1); radix = 10; }
        else if (h.matches()) { digits = h.group(1); radix = 16; }
        else return entity;
        java.math.BigInteger big = new java.math.BigInteger(digits, radix);
        if (big.bitLength() > 31) return "\uFFFD";
        return charref(big.intValue());
    }

    // html/__init__.py _replace_charref for a numeric reference
    private static String charref(int num) {
        if (num == 0x00) return "\uFFFD";
        if (num == 0x0D) return "\r";
        if (num >= 0x80 && num <= 0x9F) return String.valueOf(FtfyTables.CHARMAP_TABLES[1].charAt(num)); // windows-1252 (sloppy)
        if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) return "\uFFFD";
        if ((num >= 0x1 && num <= 0x8) || (num >= 0xE && num <= 0x1F) || (num >= 0x7F && num <= 0x9F)
                || (num >= 0xFDD0 && num <= 0xFDEF) || num == 0xB || (num & 0xFFFE) == 0xFFFE) return "";
        return Character.toString(num);
    }

    private static Map<String, String> load() {
        Map<String, String> map = new HashMap<>();
        try (InputStream in = HtmlEntities.class.getResourceAsStream("html_entities.tsv")) {
            if (in == null) throw new IllegalStateException("resource html_entities.tsv missing from the uso4j-model jar");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                int tab = line.indexOf('\t');
                StringBuilder v = new StringBuilder();
                for (String cp : line.substring(tab + 1).split(" ")) v.appendCodePoint(Integer.parseInt(cp, 16));
                map.put(line.substring(0, tab), v.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(map);
    }
}
