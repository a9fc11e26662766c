package org.uso4j.model.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.uso4j.core.io.CheckpointException;

/**
 * Reading a Hugging Face {@code config.json} the way transformers' {@code PretrainedConfig} does: an absent or
 * {@code null} field takes the class default, a present one must have the right JSON type. A composite config
 * ({@code CLIPConfig}, {@code SiglipConfig}) holds its towers' parameters in a sub-object. Every failure is a
 * {@link CheckpointException} naming {@code source} (the file) and the field.
 */
public final class HfConfigFields {
    private HfConfigFields() {}

    /** Parses {@code configJson}; the result may be null or not an object, which {@link #modelType} refuses. */
    public static JsonNode read(Path configJson) {
        try {
            return new ObjectMapper().readTree(configJson.toFile());
        } catch (IOException e) {
            throw new CheckpointException(configJson + ": cannot read config: " + e.getMessage(), e);
        }
    }

    /** {@code model_type} of a config object ("" when absent); fails unless {@code root} is a JSON object. */
    public static String modelType(JsonNode root, String source) {
        if (root == null || !root.isObject()) throw new CheckpointException(source + ": config is not a JSON object");
        return root.path("model_type").asText("");
    }

    /** The sub-config {@code key} of a composite config ({@code "text_config"}); absent or null means all defaults. */
    public static JsonNode subConfig(JsonNode root, String key, String source) {
        JsonNode c = root.get(key);
        if (c == null || c.isNull()) return JsonNodeFactory.instance.objectNode();
        if (!c.isObject()) throw new CheckpointException(source + ": '" + key + "' is not an object");
        return c;
    }

    public static int integer(JsonNode c, String field, int def, String source) {
        JsonNode v = c.get(field);
        if (v == null || v.isNull()) return def;
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw new CheckpointException(source + ": '" + field + "' must be an integer, got " + v);
        return v.asInt();
    }

    public static double number(JsonNode c, String field, double def, String source) {
        JsonNode v = c.get(field);
        if (v == null || v.isNull()) return def;
        if (!v.isNumber()) throw new CheckpointException(source + ": '" + field + "' must be a number, got " + v);
        return v.asDouble();
    }

    public static String text(JsonNode c, String field, String def, String source) {
        JsonNode v = c.get(field);
        if (v == null || v.isNull()) return def;
        if (!v.isTextual()) throw new CheckpointException(source + ": '" + field + "' must be a string, got " + v);
        return v.asText();
    }

    public static boolean bool(JsonNode c, String field, boolean def, String source) {
        JsonNode v = c.get(field);
        if (v == null || v.isNull()) return def;
        if (!v.isBoolean()) throw new CheckpointException(source + ": '" + field + "' must be true or false, got " + v);
        return v.asBoolean();
    }

    /**
     * The first of {@code names} present in {@code c} (one value under its reference spelling or its transformers
     * one, e.g. {@code num_heads} / {@code num_attention_heads}), which must be a positive integer; empty if none is.
     */
    public static OptionalInt positiveInteger(JsonNode c, List<String> names, Path source) {
        for (String name : names) {
            JsonNode v = c == null ? null : c.get(name);
            if (v == null || v.isNull()) continue;
            if (!v.isIntegralNumber() || v.asInt() <= 0) throw new CheckpointException(source + ": '" + name + "' must be a positive integer, got " + v);
            return OptionalInt.of(v.asInt());
        }
        return OptionalInt.empty();
    }
}
