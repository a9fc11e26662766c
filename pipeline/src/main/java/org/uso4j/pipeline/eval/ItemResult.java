package org.uso4j.pipeline.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scores of one benchmark item, as cached in {@code items/<index>.json} of the output folder.
 *
 * @param values      per metric, the terms its mean is taken over: the flattened |G| x |R| cosine matrix for
 *                    CLIP-I / DINO / CSD, the clipped per-image cosine for CLIP-T; a group's value is the mean of
 *                    its items' terms together (UNO's matrix over all the group's images)
 * @param fingerprint hash of everything the scores depend on (prompt, task, image and reference bytes, models);
 *                    a cached result with another fingerprint is recomputed
 */
public record ItemResult(int index, String group, String task, String prompt, List<String> images, List<String> contentRefs,
        List<String> styleRefs, Map<String, List<Double>> values, String fingerprint) {
    public ItemResult {
        images = List.copyOf(images);
        contentRefs = List.copyOf(contentRefs);
        styleRefs = List.copyOf(styleRefs);
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The item's own score for {@code m} (mean of its terms), or NaN when the task does not report it. */
    public double score(Metric m) {
        List<Double> v = values.get(m.key());
        return v == null || v.isEmpty() ? Double.NaN : v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
