package org.uso4j.model.tokenizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class T5TokenizerGoldenTest {
    static final Path GOLDEN = Path.of(System.getProperty("uso4j.golden", "../shared/golden"));

    static int[] ints(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).asInt();
        return r;
    }

    static List<String> strings(JsonNode a) {
        List<String> r = new ArrayList<>();
        a.forEach(n -> r.add(n.asText()));
        return r;
    }

    @Test
    void everyGoldenPromptMatches() throws Exception {
        Path dir = GOLDEN.resolve("tokenizers");
        Assumptions.assumeTrue(Files.isDirectory(dir));
        JsonNode g = new ObjectMapper().readTree(dir.resolve("t5_tokenizer_golden.json").toFile());
        Path spm = dir.resolve("t5/spiece.model");
        T5Tokenizer legacy = T5Tokenizer.fromSpieceModel(spm, T5TokenizerConfig.uso());
        T5Tokenizer nonLegacy = T5Tokenizer.fromSpieceModel(spm, T5TokenizerConfig.uso().withLegacy(false));
        int max = g.get("max_length").asInt();
        for (JsonNode c : g.get("cases")) {
            String id = c.get("id").asText(), text = c.get("text").asText();
            assertEquals(strings(c.get("sentencepiece_pieces")),
                    legacy.sentencePiece().encode(text).stream().map(SentencePiece.Piece::text).toList(), id + " pieces");
            assertArrayEquals(ints(c.get("sentencepiece_encode")), legacy.sentencePiece().encodeIds(text), id + " sp ids");
            Encoding e = legacy.encode(text, max);
            assertEquals(strings(c.at("/legacy/tokens")), e.tokens(), id + " legacy tokens");
            assertArrayEquals(ints(c.at("/legacy/ids_untruncated")), e.idsUntruncated(), id + " legacy ids_untruncated");
            assertArrayEquals(ints(c.at("/legacy/input_ids")), e.inputIds(), id + " legacy input_ids");
            Encoding n = nonLegacy.encode(text, max);
            assertEquals(strings(c.at("/non_legacy/tokens")), n.tokens(), id + " non-legacy tokens");
            assertArrayEquals(ints(c.at("/non_legacy/input_ids")), n.inputIds(), id + " non-legacy input_ids");
        }
    }
}
