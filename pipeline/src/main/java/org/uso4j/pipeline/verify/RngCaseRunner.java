package org.uso4j.pipeline.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import org.uso4j.core.DType;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.pipeline.random.CpuCapability;
import org.uso4j.pipeline.random.LatentNoise;
import org.uso4j.pipeline.random.TorchRandom;

/**
 * Golden case {@code rng}: every entry of {@code case.json → entries} redrawn with {@link TorchRandom} and compared
 * exactly. The entry's tensor name prefix says what was called: {@code get_noise*} (height, width, seed, dtype,
 * optional num and cpu_capability), {@code randn} (numel or shape, seed, dtype), {@code rand} (uniform).
 */
public final class RngCaseRunner implements CaseRunner {
    @Override public boolean handles(GoldenCase c) {
        return c.json().path("entries").isArray() && c.name().equals("rng");
    }

    @Override public void run(GoldenCase c, Backend backend, VerifyReport report) {
        for (JsonNode e : c.json().path("entries")) {
            String name = e.path("tensor").asText();
            try {
                Tensor expected = c.tensor(name);
                report.exact(name, draw(name, e, expected.shape()), expected);
            } catch (RuntimeException ex) {
                report.cannotRun(name, ex.getMessage());
            }
        }
    }

    private static Tensor draw(String name, JsonNode e, Shape stored) {
        String kind = name.substring(0, Math.max(0, name.indexOf('/')));
        String dtypeText = require(e, "dtype", name).asText().toLowerCase(Locale.ROOT);
        long seed = require(e, "seed", name).asLong();
        CpuCapability capability = e.path("cpu_capability").asText("avx2").equalsIgnoreCase("default")
                ? CpuCapability.DEFAULT : CpuCapability.AVX2;
        if (kind.startsWith("get_noise")) {
            DType dtype = dtype(dtypeText, name);
            int num = e.path("num").asInt(1);
            return LatentNoise.getNoise(num, require(e, "height", name).asInt(), require(e, "width", name).asInt(),
                    dtype, seed, capability);
        }
        Shape shape = e.has("shape") ? shapeOf(e.get("shape")) : e.has("numel") ? Shape.of(e.get("numel").asInt()) : stored;
        if (kind.equals("rand")) {
            if (!dtypeText.startsWith("f32")) throw new IllegalArgumentException(name + ": rand supports f32, got " + dtypeText);
            return Tensor.wrap(new TorchRandom(seed).rand(Math.toIntExact(shape.numel())), shape.dims());
        }
        if (kind.equals("randn")) return LatentNoise.randn(shape, dtype(dtypeText, name), new TorchRandom(seed), capability);
        throw new IllegalArgumentException(name + ": unknown draw kind '" + kind + "' (expected get_noise, randn, rand)");
    }

    private static DType dtype(String text, String name) {
        if (text.startsWith("f32") || text.startsWith("float32")) return DType.F32;
        if (text.startsWith("bf16") || text.startsWith("bfloat16")) return DType.BF16;
        throw new IllegalArgumentException(name + ": unsupported dtype '" + text + "'");
    }

    private static Shape shapeOf(JsonNode arr) {
        int[] dims = new int[arr.size()];
        for (int i = 0; i < dims.length; i++) dims[i] = arr.get(i).asInt();
        return Shape.of(dims);
    }

    private static JsonNode require(JsonNode e, String field, String name) {
        JsonNode v = e.get(field);
        if (v == null || v.isNull()) throw new IllegalArgumentException(name + ": entry has no '" + field + "'");
        return v;
    }
}
