package org.uso4j.pipeline.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark result: per task, per group, per item. A group's value for a metric is the mean of all its
 * items' terms (UNO: the mean of the group's |G| x |R| matrix, or of its per-image CLIP-T); a task's value is the
 * plain mean over its groups (not over pairs).
 */
public record EvalReport(String spec, String images, List<TaskSummary> tasks, List<ItemResult> items) {
    public EvalReport {
        tasks = List.copyOf(tasks);
        items = List.copyOf(items);
    }

    /** One task's table row: the benchmark values and its groups. */
    public record TaskSummary(String task, Map<String, Double> scores, List<GroupSummary> groups) {
        public TaskSummary {
            scores = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scores));
            groups = List.copyOf(groups);
        }
    }

    /** One group (a subject or style reference set): its items, images and values. */
    public record GroupSummary(String group, List<Integer> items, int images, Map<String, Double> scores) {
        public GroupSummary {
            items = List.copyOf(items);
            scores = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scores));
        }
    }

    public static EvalReport of(String spec, String images, List<ItemResult> items) {
        List<TaskSummary> tasks = new ArrayList<>();
        for (TaskType t : TaskType.values()) {
            Map<String, List<ItemResult>> groups = new LinkedHashMap<>();
            for (ItemResult r : items) if (r.task().equals(t.id())) groups.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r);
            if (groups.isEmpty()) continue;
            List<GroupSummary> gs = new ArrayList<>();
            for (Map.Entry<String, List<ItemResult>> g : groups.entrySet()) {
                Map<String, Double> scores = new LinkedHashMap<>();
                for (Metric m : t.metrics()) {
                    List<Double> all = new ArrayList<>();
                    for (ItemResult r : g.getValue()) all.addAll(r.values().getOrDefault(m.key(), List.of()));
                    scores.put(m.key(), mean(all));
                }
                gs.add(new GroupSummary(g.getKey(), g.getValue().stream().map(ItemResult::index).toList(),
                        g.getValue().stream().mapToInt(r -> r.images().size()).sum(), scores));
            }
            Map<String, Double> scores = new LinkedHashMap<>();
            for (Metric m : t.metrics()) scores.put(m.key(), mean(gs.stream().map(g -> g.scores().get(m.key())).toList()));
            tasks.add(new TaskSummary(t.id(), scores, gs));
        }
        return new EvalReport(spec, images, tasks, items);
    }

    /** The summary of {@code task}, if the report has it. */
    public java.util.Optional<TaskSummary> task(TaskType task) {
        return tasks.stream().filter(t -> t.task().equals(task.id())).findFirst();
    }

    static double mean(List<Double> v) {
        return v.isEmpty() ? Double.NaN : v.stream().mapToDouble(Double::doubleValue).sum() / v.size();
    }
}
