package org.uso4j.pipeline.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A benchmark spec: the official {@code --eval_json_path} format of USO's inference.py, a JSON list of
 * {@code {"prompt", "image_paths", "save_dir"}} (paths relative to the spec's folder; {@code image_paths[0]} is the
 * content image or "", the rest are style images), extended per item with optional
 * {@code "content_refs"} / {@code "style_refs"} (lists replacing what image_paths implies), {@code "task"}
 * ({@code subject | style | style-subject}; inferred from the references when absent) and {@code "group"}
 * (default: the task and its reference set, so the prompts of one subject or style form one group).
 */
public record BenchmarkSpec(Path file, List<BenchmarkItem> items) {
    public BenchmarkSpec {
        items = List.copyOf(items);
    }

    public static BenchmarkSpec read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the benchmark spec: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) throw new IllegalArgumentException(file + ": a benchmark spec is a JSON list of items");
        Path dir = file.toAbsolutePath().getParent();
        List<BenchmarkItem> items = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            try {
                items.add(item(root.get(i), i, dir));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": item " + i + ": " + e.getMessage(), e);
            }
        }
        if (items.isEmpty()) throw new IllegalArgumentException(file + ": the benchmark spec has no items");
        return new BenchmarkSpec(file, items);
    }

    private static BenchmarkItem item(JsonNode n, int index, Path dir) {
        if (!n.isObject()) throw new IllegalArgumentException("not an object");
        JsonNode p = n.get("prompt");
        if (p == null || !p.isTextual()) throw new IllegalArgumentException("'prompt' must be a string");
        List<String> imagePaths = strings(n, "image_paths");
        String saveDir = n.hasNonNull("save_dir") ? text(n, "save_dir") : null;
        if (saveDir != null && (saveDir.isBlank() || Path.of(saveDir).isAbsolute() || Path.of(saveDir).normalize().startsWith(".."))) {
            throw new IllegalArgumentException("'save_dir' must be a relative path inside the images folder, got '" + saveDir + "'");
        }
        List<String> content = n.has("content_refs") ? strings(n, "content_refs")
                : imagePaths.isEmpty() || imagePaths.getFirst().isEmpty() ? List.of() : List.of(imagePaths.getFirst());
        List<String> style = n.has("style_refs") ? strings(n, "style_refs")
                : imagePaths.size() <= 1 ? List.of() : imagePaths.subList(1, imagePaths.size()).stream().filter(s -> !s.isEmpty()).toList();
        TaskType task = n.hasNonNull("task") ? TaskType.parse(text(n, "task")) : TaskType.infer(!content.isEmpty(), !style.isEmpty());
        // references a task does not score are kept out of its group key
        Set<Metric> metrics = EnumSet.copyOf(task.metrics());
        List<String> usedContent = metrics.contains(Metric.CLIP_I) ? content : List.of();
        List<String> usedStyle = metrics.contains(Metric.CSD) ? style : List.of();
        String group = n.hasNonNull("group") ? text(n, "group") : task.id() + ":" + String.join(",", usedContent) + "|" + String.join(",", usedStyle);
        return new BenchmarkItem(index, p.asText(), imagePaths, saveDir, task, resolve(dir, usedContent), resolve(dir, usedStyle), group);
    }

    private static List<Path> resolve(Path dir, List<String> paths) {
        return paths.stream().map(s -> dir.resolve(s).normalize()).toList();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (!v.isTextual()) throw new IllegalArgumentException("'" + field + "' must be a string, got " + v);
        return v.asText();
    }

    private static List<String> strings(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return List.of();
        if (!v.isArray()) throw new IllegalArgumentException("'" + field + "' must be a list of paths, got " + v);
        List<String> out = new ArrayList<>();
        for (JsonNode s : v) {
            if (!s.isTextual()) throw new IllegalArgumentException("'" + field + "' must hold strings, got " + s);
            out.add(s.asText());
        }
        return out;
    }

    /** The metrics any item needs. */
    public Set<Metric> metrics() {
        Set<Metric> out = EnumSet.noneOf(Metric.class);
        for (BenchmarkItem it : items) out.addAll(it.task().metrics());
        return out;
    }
}
