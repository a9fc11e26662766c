package org.uso4j.pipeline.eval;

import java.nio.file.Path;
import java.util.List;

/**
 * One entry of a benchmark spec.
 *
 * @param index       position in the spec (names {@code <index>_<j>.png} when there is no save_dir)
 * @param prompt      the prompt (CLIP-T compares each generated image with it)
 * @param imagePaths  the official {@code image_paths} as written (content first, then style images; "" = none)
 * @param saveDir     the official {@code save_dir} (generated images are {@code <save_dir>_<j>.png}), or null
 * @param task        the task, given or inferred from the references
 * @param contentRefs content (subject) references: CLIP-I and DINO compare with these
 * @param styleRefs   style references: CSD compares with these
 * @param group       the group the benchmark averages over (a subject or style reference set)
 */
public record BenchmarkItem(int index, String prompt, List<String> imagePaths, String saveDir, TaskType task,
        List<Path> contentRefs, List<Path> styleRefs, String group) {
    public BenchmarkItem {
        imagePaths = List.copyOf(imagePaths);
        contentRefs = List.copyOf(contentRefs);
        styleRefs = List.copyOf(styleRefs);
        if (task.metrics().contains(Metric.CLIP_I) && contentRefs.isEmpty()) {
            throw new IllegalArgumentException("item " + index + ": task " + task.id() + " needs content references");
        }
        if (task.metrics().contains(Metric.CSD) && styleRefs.isEmpty()) {
            throw new IllegalArgumentException("item " + index + ": task " + task.id() + " needs style references");
        }
    }

    /** The file stem of generated image j: {@code <save_dir>_<j>} or {@code <index>_<j>}, as the official inference.py saves. */
    public String imageStem(int j) { return (saveDir != null ? saveDir : Integer.toString(index)) + "_" + j; }
}
