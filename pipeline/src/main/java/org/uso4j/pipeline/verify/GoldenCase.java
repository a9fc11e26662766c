package org.uso4j.pipeline.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalDouble;
import org.uso4j.core.Tensor;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.CheckpointException;
import org.uso4j.core.io.SafetensorsFile;

/**
 * One golden case folder: {@code case.json} (what was called, configs, tolerances) and, where present,
 * {@code io.safetensors} (inputs and expected outputs named {@code <subcase>/<name>}).
 */
public final class GoldenCase implements AutoCloseable {
    private final Path dir;
    private final JsonNode json;
    private Checkpoint io;

    private GoldenCase(Path dir, JsonNode json) {
        this.dir = dir;
        this.json = json;
    }

    public static GoldenCase open(Path dir) {
        Path cj = dir.resolve("case.json");
        if (!Files.isRegularFile(cj) && hasGoldenJson(dir)) {
            // tokenizers/ has no case.json: its *_golden.json files describe themselves.
            return new GoldenCase(dir, new ObjectMapper().createObjectNode().put("case", dir.getFileName().toString()));
        }
        if (!Files.isRegularFile(cj)) throw new CheckpointException(dir + ": not a golden case folder (no case.json)");
        try {
            return new GoldenCase(dir, new ObjectMapper().readTree(cj.toFile()));
        } catch (IOException e) {
            throw new CheckpointException(cj + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** True for a folder {@link #open} can open as a case: it has a case.json, or describes itself with *_golden.json files. */
    public static boolean isCase(Path dir) {
        return Files.isRegularFile(dir.resolve("case.json")) || hasGoldenJson(dir);
    }

    private static boolean hasGoldenJson(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        try (var files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith("_golden.json"));
        } catch (IOException e) {
            return false;
        }
    }

    public Path dir() { return dir; }
    public JsonNode json() { return json; }

    /** The {@code case} field (falls back to the folder name). */
    public String name() {
        JsonNode n = json.get("case");
        return n != null && n.isTextual() ? n.asText() : dir.getFileName().toString();
    }

    public Path file(String relative) { return dir.resolve(relative); }

    /** The case's {@code io.safetensors}, opened once. */
    public Checkpoint io() {
        if (io == null) io = SafetensorsFile.open(dir.resolve("io.safetensors"));
        return io;
    }

    public boolean has(String name) { return Files.exists(dir.resolve("io.safetensors")) && io().contains(name); }

    public Tensor tensor(String name) { return io().tensor(name); }

    /** Tolerance for output {@code name} from whichever tolerance table the case uses. */
    public OptionalDouble atol(String name) {
        JsonNode t = json.path("tolerances").path(name).path("recommended_atol");
        if (t.isNumber()) return OptionalDouble.of(t.asDouble());
        JsonNode rt = json.path("recommended_tolerance");
        for (String table : new String[]{"per_tensor", "atol"}) {
            JsonNode v = rt.path(table).path(name);
            if (v.isNumber()) return OptionalDouble.of(v.asDouble());
            if (v.path("atol").isNumber()) return OptionalDouble.of(v.path("atol").asDouble());
        }
        JsonNode tol = json.path("tolerance");
        if (tol.path(name).isNumber()) return OptionalDouble.of(tol.path(name).asDouble());
        if (tol.path(name).path("atol").isNumber()) return OptionalDouble.of(tol.path(name).path("atol").asDouble());
        return OptionalDouble.empty();
    }

    /** Like {@link #atol(String)} but fails, naming the output, when the case gives none. */
    public double requireAtol(String name) {
        return atol(name).orElseThrow(() -> new IllegalStateException(dir + ": case.json has no tolerance for '" + name + "'"));
    }

    /** Iterates over the fields of an object node (empty for anything else). */
    public static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        return () -> node == null || !node.isObject() ? java.util.Collections.emptyIterator() : node.fields();
    }

    @Override public void close() {
        if (io != null) io.close();
    }
}
