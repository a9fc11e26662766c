package org.uso4j.model.siglip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.io.CheckpointException;

class SiglipVisionConfigTest {
    static final Path GOLDEN = Path.of(System.getProperty("uso4j.golden", "../shared/golden"));

    @ParameterizedTest
    @ValueSource(strings = {"siglip_tiny", "siglip_tiny_42", "siglip_tiny_45"})
    void flatAndNestedConfigsResolveToTheResolvedValues(String name) throws Exception {
        Path dir = GOLDEN.resolve(name);
        Assumptions.assumeTrue(Files.isDirectory(dir));
        SiglipVisionConfig flat = SiglipVisionConfig.read(dir.resolve("config.json"));
        SiglipVisionConfig nested = SiglipVisionConfig.read(dir.resolve("config_full_model.json"));
        assertEquals(flat, nested);
        JsonNode r = new ObjectMapper().readTree(dir.resolve("config_resolved.json").toFile());
        assertEquals(r.get("hidden_size").asInt(), flat.hiddenSize());
        assertEquals(r.get("intermediate_size").asInt(), flat.intermediateSize());
        assertEquals(r.get("num_hidden_layers").asInt(), flat.numHiddenLayers());
        assertEquals(r.get("num_attention_heads").asInt(), flat.numAttentionHeads());
        assertEquals(r.get("num_channels").asInt(), flat.numChannels());
        assertEquals(r.get("image_size").asInt(), flat.imageSize());
        assertEquals(r.get("patch_size").asInt(), flat.patchSize());
        assertEquals(r.get("hidden_act").asText(), flat.hiddenAct());
        assertEquals((float) r.get("layer_norm_eps").asDouble(), flat.layerNormEps());
    }

    @Test
    void nestedConfigWithoutVisionValuesTakesTheClassDefaults() throws Exception {
        JsonNode json = new ObjectMapper().readTree("{\"model_type\": \"siglip\", \"vision_config\": {\"patch_size\": 14}}");
        SiglipVisionConfig c = SiglipVisionConfig.fromJson(json, "test");
        assertEquals(768, c.hiddenSize());
        assertEquals(14, c.patchSize());
        assertEquals(224 / 14, c.gridSize());
        assertEquals(Activation.GELU_TANH, c.activation());
        assertEquals(1e-6f, c.layerNormEps());
    }

    @Test
    void so400mPreset() {
        SiglipVisionConfig c = SiglipVisionConfig.so400m();
        assertEquals(72, c.headDim());
        assertEquals(27, c.gridSize()); // 384 = 27·14 + 6: the last 6 pixel rows/columns are ignored
        assertEquals(729, c.numPatches());
        assertTrue(c.visionUseHead());
        assertFalse(c.withoutHead().visionUseHead());
    }

    @Test
    void badFieldsAreNamed() throws Exception {
        ObjectMapper om = new ObjectMapper();
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> SiglipVisionConfig.fromJson(om.readTree("{\"hidden_size\": \"big\"}"), "cfg.json"));
        assertTrue(e.getMessage().contains("cfg.json") && e.getMessage().contains("hidden_size"), e.getMessage());
        e = assertThrows(CheckpointException.class,
                () -> SiglipVisionConfig.fromJson(om.readTree("{\"hidden_act\": \"mish\"}"), "cfg.json"));
        assertTrue(e.getMessage().contains("mish"), e.getMessage());
        e = assertThrows(CheckpointException.class,
                () -> SiglipVisionConfig.fromJson(om.readTree("{\"model_type\": \"clip\"}"), "cfg.json"));
        assertTrue(e.getMessage().contains("model_type"), e.getMessage());
        e = assertThrows(CheckpointException.class,
                () -> SiglipVisionConfig.fromJson(om.readTree("{\"hidden_size\": 30, \"num_attention_heads\": 4}"), "cfg.json"));
        assertTrue(e.getMessage().contains("divisible"), e.getMessage());
    }
}
