package org.uso4j.model.t5;

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
import org.uso4j.core.backend.Activation;
import org.uso4j.core.io.CheckpointException;

class T5ConfigTest {
    static final Path GOLDEN = Path.of(System.getProperty("uso4j.golden", "../shared/golden"));
    final ObjectMapper om = new ObjectMapper();

    @Test
    void configResolvesToTheResolvedValues() throws Exception {
        Path dir = GOLDEN.resolve("t5_tiny");
        Assumptions.assumeTrue(Files.isDirectory(dir));
        T5Config c = T5Config.read(dir.resolve("config.json"));
        JsonNode r = om.readTree(dir.resolve("config_resolved.json").toFile());
        assertEquals(r.get("vocab_size").asInt(), c.vocabSize());
        assertEquals(r.get("d_model").asInt(), c.dModel());
        assertEquals(r.get("d_kv").asInt(), c.dKv());
        assertEquals(r.get("d_ff").asInt(), c.dFf());
        assertEquals(r.get("num_layers").asInt(), c.numLayers());
        assertEquals(r.get("num_heads").asInt(), c.numHeads());
        assertEquals(r.get("relative_attention_num_buckets").asInt(), c.relativeAttentionNumBuckets());
        assertEquals(r.get("relative_attention_max_distance").asInt(), c.relativeAttentionMaxDistance());
        assertEquals((float) r.get("layer_norm_epsilon").asDouble(), c.layerNormEpsilon());
        assertEquals(r.get("dense_act_fn").asText(), c.denseActFn());
        assertEquals(r.get("is_gated_act").asBoolean(), c.isGatedAct());
    }

    @Test
    void olderConfigsDeriveTheActivationFromFeedForwardProj() throws Exception {
        // as google/t5-v1_1-xxl's config.json: no dense_act_fn / is_gated_act / relative_attention_max_distance
        T5Config c = T5Config.fromJson(om.readTree("{\"model_type\": \"t5\", \"feed_forward_proj\": \"gated-gelu\", \"d_model\": 4096}"), "t");
        assertEquals("gelu_new", c.denseActFn());
        assertTrue(c.isGatedAct());
        assertEquals(Activation.GELU_TANH, c.activation());
        assertEquals(128, c.relativeAttentionMaxDistance());
        T5Config silu = T5Config.fromJson(om.readTree("{\"feed_forward_proj\": \"gated-silu\"}"), "t");
        assertEquals("silu", silu.denseActFn());
        assertTrue(silu.isGatedAct());
        T5Config relu = T5Config.fromJson(om.readTree("{}"), "t");
        assertEquals(T5Config.defaults(), relu);
        assertFalse(relu.isGatedAct());
        // explicit fields win over feed_forward_proj, as in transformers
        T5Config explicit = T5Config.fromJson(om.readTree("{\"feed_forward_proj\": \"gated-gelu\", \"dense_act_fn\": \"gelu\"}"), "t");
        assertEquals(Activation.GELU_ERF, explicit.activation());
    }

    @Test
    void pipelineTinyConfigOfAFullT5() {
        Path cfg = GOLDEN.resolve("pipeline_tiny/weights/t5-xxl/config.json");
        Assumptions.assumeTrue(Files.isRegularFile(cfg));
        T5Config c = T5Config.read(cfg);
        assertEquals("gelu_new", c.denseActFn());
        assertEquals(2, c.numLayers());
        assertEquals(128, c.relativeAttentionMaxDistance());
    }

    @Test
    void xxlPreset() {
        T5Config c = T5Config.xxl();
        assertEquals(4096, c.innerDim());
        assertEquals(24, c.numLayers());
        assertTrue(c.isGatedAct());
    }

    @Test
    void badValuesAreNamed() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> T5Config.fromJson(om.readTree("{\"feed_forward_proj\": \"a-b-c\"}"), "cfg.json"));
        assertTrue(e.getMessage().contains("feed_forward_proj"), e.getMessage());
        e = assertThrows(CheckpointException.class, () -> T5Config.fromJson(om.readTree("{\"num_heads\": 0}"), "cfg.json"));
        assertTrue(e.getMessage().contains("num_heads"), e.getMessage());
        e = assertThrows(CheckpointException.class, () -> T5Config.fromJson(om.readTree("{\"model_type\": \"bert\"}"), "cfg.json"));
        assertTrue(e.getMessage().contains("bert"), e.getMessage());
    }
}
