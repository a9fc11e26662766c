package org.uso4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.uso4j.core.Tensor;

/**
 * Every GGUF of the golden {@code formats} case opens, lists the tensors, types, ne and key/values that
 * {@code case.json → formats.{gguf,t5_gguf}.files} records, and decodes each tensor to the recorded checksums
 * (float64 sum, sum |x|, first 8 values exactly).
 */
class GgufGoldenTest {
    static Path golden() { return Path.of(System.getProperty("uso4j.golden", "../shared/golden")).resolve("formats"); }

    static Stream<Arguments> files() throws IOException {
        Path dir = golden();
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("case.json")), "golden formats case not found");
        JsonNode formats = new ObjectMapper().readTree(dir.resolve("case.json").toFile()).get("formats");
        List<Arguments> out = new ArrayList<>();
        for (String group : List.of("gguf", "t5_gguf")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = formats.get(group).get("files").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.add(Arguments.of(group + "/" + e.getKey(), e.getValue()));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void opensAndDecodesToTheRecordedChecksums(String file, JsonNode expect) {
        try (Checkpoint ckpt = Checkpoints.open(golden().resolve(file))) {
            GgufFile gguf = (GgufFile) ckpt;
            checkKvs(gguf, expect.get("kv"));
            JsonNode types = expect.get("tensor_types"), ne = expect.get("gguf_ne"), sums = expect.get("decoded_checksums");
            List<String> names = new ArrayList<>();
            types.fieldNames().forEachRemaining(names::add);
            assertEquals(names.stream().sorted().toList(), gguf.names().stream().sorted().toList(), "tensor names");
            // decoded_checksums uses the source checkpoint's names, in the same order as tensor_types.
            List<String> sumNames = new ArrayList<>();
            sums.fieldNames().forEachRemaining(sumNames::add);
            assertEquals(names.size(), sumNames.size());
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                TensorEntry entry = gguf.entry(name);
                assertEquals(types.get(name).asText(), entry.dtype().name(), name + " type");
                JsonNode n = ne.get(name);
                int[] shape = new int[n.size()];
                for (int d = 0; d < shape.length; d++) shape[d] = n.get(shape.length - 1 - d).asInt();
                assertArrayEquals(shape, entry.shape().dims(), name + " shape (reversed ne)");
                checkDecoded(file + " " + name, gguf.tensor(name), sums.get(sumNames.get(i)));
            }
        }
    }

    private static void checkDecoded(String what, Tensor t, JsonNode expect) {
        float[] x = t.toF32().floats();
        double sum = 0, sumAbs = 0;
        for (float v : x) {
            sum += v;
            sumAbs += Math.abs(v);
        }
        JsonNode first = expect.get("first8");
        for (int i = 0; i < first.size(); i++) {
            assertEquals((float) first.get(i).asDouble(), x[i], 0f, what + " element " + i);
        }
        double tol = 1e-9 * (sumAbs + 1);
        assertEquals(expect.get("sum_abs").asDouble(), sumAbs, tol, what + " sum |x|");
        assertEquals(expect.get("sum").asDouble(), sum, tol, what + " sum");
    }

    private static void checkKvs(GgufFile gguf, JsonNode kv) {
        assertEquals(kv.size(), gguf.kvKeys().size(), "number of key/values");
        kv.fields().forEachRemaining(e -> {
            String key = e.getKey();
            JsonNode v = e.getValue();
            assertTrue(gguf.hasKv(key), key);
            Object got = gguf.kv(key);
            if (v.isTextual() && v.asText().matches("array\\[\\d+]")) {
                int n = Integer.parseInt(v.asText().replaceAll("\\D", ""));
                assertEquals(n, ((List<?>) got).size(), key);
                String rendered = gguf.metadata().get(key);
                if (((List<?>) got).get(0) instanceof String) assertEquals("[" + n + " strings]", rendered, key);
                else assertTrue(rendered.startsWith("[" + n + " "), key + " rendered " + rendered);
            } else if (v.isBoolean()) {
                assertEquals(v.asBoolean(), gguf.kvBool(key), key);
            } else if (v.isIntegralNumber()) {
                assertEquals(v.asLong(), gguf.kvLong(key), key);
            } else if (v.isNumber()) {
                assertEquals(v.asDouble(), gguf.kvDouble(key), 0.0, key);
            } else {
                assertEquals(v.asText(), gguf.kvString(key), key);
            }
        });
    }
}
