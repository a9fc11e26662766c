package org.uso4j.model.tokenizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.uso4j.model.tokenizers.T5TokenizerGoldenTest.GOLDEN;
import static org.uso4j.model.tokenizers.T5TokenizerGoldenTest.ints;
import static org.uso4j.model.tokenizers.T5TokenizerGoldenTest.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ClipTokenizerGoldenTest {
    @Test
    void everyGoldenPromptMatches() throws Exception {
        Path dir = GOLDEN.resolve("tokenizers");
        Assumptions.assumeTrue(Files.isDirectory(dir));
        JsonNode g = new ObjectMapper().readTree(dir.resolve("clip_tokenizer_golden.json").toFile());
        ClipTokenizer tok = ClipTokenizer.load(dir.resolve("clip"));
        int max = g.get("max_length").asInt();
        assertEquals(g.get("pad_id").asInt(), tok.padId());
        StringBuilder failures = new StringBuilder();
        for (JsonNode c : g.get("cases")) {
            String id = c.get("id").asText(), text = c.get("text").asText();
            String norm = ClipTokenizer.normalize(text);
            if (!c.get("normalized_text").asText().equals(norm) && !id.contains("special_literals"))
                failures.append(id).append(": normalized '").append(norm).append("' expected '").append(c.get("normalized_text").asText()).append("'\n");
            Encoding e = tok.encode(text, max);
            if (!strings(c.get("tokens")).equals(e.tokens()))
                failures.append(id).append(": tokens ").append(e.tokens()).append(" expected ").append(strings(c.get("tokens"))).append('\n');
            if (!java.util.Arrays.equals(ints(c.get("ids_untruncated")), e.idsUntruncated())) failures.append(id).append(": ids_untruncated\n");
            if (!java.util.Arrays.equals(ints(c.get("input_ids")), e.inputIds())) failures.append(id).append(": input_ids\n");
        }
        assertEquals("", failures.toString());
    }
}
