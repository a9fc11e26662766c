package org.uso4j.model.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.uso4j.core.io.CheckpointException;

class ClipTextConfigTest {
    static final Path GOLDEN = Path.of(System.getProperty("uso4j.golden", "../shared/golden"));
    final ObjectMapper om = new ObjectMapper();

    @Test
    void flatAndNestedConfigsResolveToTheResolvedValues() throws Exception {
        Path dir = GOLDEN.resolve("clip_text_tiny");
        Assumptions.assumeTrue(Files.isDirectory(dir));
        ClipTextConfig flat = ClipTextConfig.read(dir.resolve("config.json"));
        assertEquals(flat, ClipTextConfig.read(dir.resolve("config_full_model.json")));
        JsonNode r = om.readTree(dir.resolve("config_resolved.json").toFile());
        assertEquals(r.get("vocab_size").asInt(), flat.vocabSize());
        assertEquals(r.get("hidden_size").asInt(), flat.hiddenSize());
        assertEquals(r.get("intermediate_size").asInt(), flat.intermediateSize());
        assertEquals(r.get("num_hidden_layers").asInt(), flat.numHiddenLayers());
        assertEquals(r.get("num_attention_heads").asInt(), flat.numAttentionHeads());
        assertEquals(r.get("max_position_embeddings").asInt(), flat.maxPositionEmbeddings());
        assertEquals(r.get("hidden_act").asText(), flat.hiddenAct());
        assertEquals((float) r.get("layer_norm_eps").asDouble(), flat.layerNormEps());
        assertEquals(r.get("eos_token_id").asInt(), flat.eosTokenId());
        assertEquals(ClipPooling.ARGMAX_ID, flat.pooling());
    }

    @Test
    void defaultsAndPresets() throws Exception {
        ClipTextConfig d = ClipTextConfig.fromJson(om.readTree("{\"model_type\": \"clip\"}"), "t");
        assertEquals(ClipTextConfig.defaults(), d);
        assertEquals(ClipPooling.FIRST_EOS, d.pooling()); // eos 49407
        ClipTextConfig l = ClipTextConfig.vitL14();
        assertEquals(64, l.headDim());
        assertEquals(ClipPooling.ARGMAX_ID, l.pooling()); // the real config.json says eos_token_id 2
    }

    @Test
    void poolingRules() {
        long[] tokenizer = {49406, 320, 1125, 49407, 49407, 49407};
        assertEquals(3, ClipPooling.ARGMAX_ID.position(tokenizer, 2));
        assertEquals(3, ClipPooling.FIRST_EOS.position(tokenizer, 49407));
        long[] noEos = {5, 9, 7, 9};
        assertEquals(1, ClipPooling.ARGMAX_ID.position(noEos, 2)); // first of the largest
        assertEquals(0, ClipPooling.FIRST_EOS.position(noEos, 49407));
    }

    @Test
    void badValuesAreNamed() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> ClipTextConfig.fromJson(om.readTree("{\"text_config\": 3, \"model_type\": \"clip\"}"), "cfg.json"));
        assertTrue(e.getMessage().contains("text_config"), e.getMessage());
        e = assertThrows(CheckpointException.class, () -> ClipTextConfig.fromJson(om.readTree("{\"layer_norm_eps\": \"x\"}"), "cfg.json"));
        assertTrue(e.getMessage().contains("layer_norm_eps"), e.getMessage());
    }
}
