package org.uso4j.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Groups work into Spark tasks balanced by cost: each item costs its images × steps × pixels (for generation); a
 * task holds at most {@link #TASK_COST} of work unless one item alone costs more (it then runs alone), and there
 * are at least as many tasks as task slots while items last, so every core has work and a lost executor loses
 * little. Greedy longest-first: the next most expensive item goes to the cheapest task.
 */
final class TaskPlan {
    /** About one 512² image of 25 steps: large items (real sizes) get one task each. */
    static final double TASK_COST = 512.0 * 512 * 25;

    private TaskPlan() {}

    static <T> List<List<T>> balance(List<T> items, ToDoubleFunction<T> cost, int slots) {
        if (items.isEmpty()) return List.of();
        double total = items.stream().mapToDouble(cost).sum();
        int tasks = (int) Math.min(items.size(), Math.max(Math.max(1, slots), Math.ceil(total / TASK_COST)));
        List<List<T>> groups = new ArrayList<>();
        double[] load = new double[tasks];
        for (int i = 0; i < tasks; i++) groups.add(new ArrayList<>());
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingDouble(cost).reversed());
        for (T t : sorted) {
            int best = 0;
            for (int i = 1; i < tasks; i++) if (load[i] < load[best]) best = i;
            groups.get(best).add(t);
            load[best] += cost.applyAsDouble(t);
        }
        groups.removeIf(List::isEmpty);
        return groups;
    }
}
