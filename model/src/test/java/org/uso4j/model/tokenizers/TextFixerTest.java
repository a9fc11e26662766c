package org.uso4j.model.tokenizers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * {@link TextFixer} against Python ftfy 6.3.1 {@code fix_text} / {@code badness.is_bad} on 900 strings
 * (mojibake of 20 words through 10 codecs, once and twice; HTML entities; controls; widths; ligatures;
 * quotes; line breaks; surrogates; 400 random strings over the mojibake alphabet). Vectors made by
 * running ftfy on each input (resource ftfy_fix_text_vectors.json).
 */
class TextFixerTest {
    @Test
    void matchesPythonFtfy() throws Exception {
        JsonNode vectors;
        try (InputStream in = getClass().getResourceAsStream("ftfy_fix_text_vectors.json")) {
            vectors = new ObjectMapper().readTree(in);
        }
        StringBuilder failures = new StringBuilder();
        int n = 0;
        for (JsonNode v : vectors) {
            String in = v.get("in").asText(), expected = v.get("out").asText();
            boolean bad = MojibakeFixer.isBad(in);
            if (bad != v.get("bad").asBoolean()) failures.append("is_bad(").append(escape(in)).append(") = ").append(bad).append('\n');
            String got = TextFixer.fixText(in);
            if (!got.equals(expected))
                failures.append("fix_text(").append(escape(in)).append(") = ").append(escape(got)).append(", expected ").append(escape(expected)).append('\n');
            n++;
        }
        assertEquals(900, n);
        assertEquals("", failures.toString());
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.chars().forEach(c -> sb.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return sb.append('"').toString();
    }
}
