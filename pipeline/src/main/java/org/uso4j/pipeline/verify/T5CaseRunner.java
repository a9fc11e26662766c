package org.uso4j.pipeline.verify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.t5.T5Config;
import org.uso4j.model.t5.T5EncoderModel;
import org.uso4j.model.t5.T5EncoderOutput;
import org.uso4j.model.t5.T5RelativePositionBias;

/**
 * Runs the T5 encoder cases ({@code t5_tiny}, architecture {@code T5EncoderModel}): loads the case folder like a
 * real checkpoint, runs every group of input_ids without attention mask and checks last_hidden_state,
 * hidden_states and the relative position buckets. Variants {@code bf16w} / {@code bf16c} run the
 * {@code model.bf16.safetensors} weights in their stored dtype: {@code bf16w} is checked against its float64
 * reference, {@code bf16c} (the reference computed in bfloat16) is informative, with its own wide tolerance.
 */
public final class T5CaseRunner implements CaseRunner {
    private static final String INPUT_IDS = "input_ids";

    @Override public boolean handles(GoldenCase c) {
        return "T5EncoderModel".equals(c.json().path("architecture").asText()) || c.name().startsWith("t5_tiny");
    }

    @Override public void run(GoldenCase c, Backend backend, VerifyReport report) {
        EncoderCase ec = new EncoderCase(c);
        if (!ec.onlyArguments(report, Set.of(INPUT_IDS))) return;
        Set<String> inputs = Set.of(INPUT_IDS);
        Map<Path, T5EncoderModel> variantModels = new HashMap<>(); // one load per weight file
        try (T5EncoderModel model = T5EncoderModel.load(c.dir(), backend)) {
            for (String group : ec.groups(INPUT_IDS)) {
                long[][] ids = ec.ids(group, INPUT_IDS);
                for (String variant : ec.variants(group, inputs)) {
                    T5EncoderModel m = model;
                    if (!variant.isEmpty()) {
                        Path weights = weightsOf(c, variant);
                        if (weights == null) {
                            report.cannotRun(group + variant, "no weight file for variant '" + variant + "'");
                            continue;
                        }
                        m = variantModels.computeIfAbsent(weights, p -> T5EncoderModel.load(p, backend));
                    }
                    check(ec, report, group, variant, m.forward(ids), m.config(), ids[0].length, backend);
                }
            }
        } finally {
            variantModels.values().forEach(T5EncoderModel::close);
        }
    }

    private static void check(EncoderCase ec, VerifyReport report, String group, String variant, T5EncoderOutput out,
            T5Config config, int length, Backend backend) {
        for (String x : ec.outputs(group, variant, Set.of(INPUT_IDS))) {
            Object actual = switch (x) {
                case "last_hidden_state" -> out.lastHiddenState();
                case "hidden_states" -> EncoderCase.stack(backend, out.hiddenStates());
                case "relative_position_bucket" -> buckets(config, length);
                default -> null;
            };
            ec.check(report, group, variant, x, actual);
        }
    }

    /** Element k = bucket of relative position {@code k - (L-1)}, [2L-1]. */
    private static long[] buckets(T5Config config, int length) {
        long[] out = new long[2 * length - 1];
        for (int k = 0; k < out.length; k++) {
            out[k] = T5RelativePositionBias.bucket(k - (length - 1), config.relativeAttentionNumBuckets(), config.relativeAttentionMaxDistance());
        }
        return out;
    }

    /** {@code bf16w} / {@code bf16c} → {@code model.bf16.safetensors}: the variant names the weights' dtype plus w/c. */
    private static Path weightsOf(GoldenCase c, String variant) {
        String dtype = variant.endsWith("w") || variant.endsWith("c") ? variant.substring(0, variant.length() - 1) : variant;
        Path p = c.file("model." + dtype + ".safetensors");
        return Files.isRegularFile(p) ? p : null;
    }
}
