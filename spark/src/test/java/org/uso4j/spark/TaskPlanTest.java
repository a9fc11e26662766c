package org.uso4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tasks balanced by cost: a large item alone in its task, small ones grouped, at least one task per slot while items last. */
class TaskPlanTest {
    @Test void largeItemsRunAloneSmallOnesAreGroupedEvenly() {
        List<Double> items = new ArrayList<>(Collections.nCopies(6, TaskPlan.TASK_COST * 2));
        List<List<Double>> large = TaskPlan.balance(items, d -> d, 2);
        assertEquals(6, large.size());
        large.forEach(t -> assertEquals(1, t.size()));

        List<Double> small = new ArrayList<>(Collections.nCopies(12, TaskPlan.TASK_COST / 100));
        List<List<Double>> grouped = TaskPlan.balance(small, d -> d, 4);
        assertEquals(4, grouped.size(), "one task per slot");
        grouped.forEach(t -> assertEquals(3, t.size()));

        List<Double> mixed = new ArrayList<>(List.of(TaskPlan.TASK_COST * 3, TaskPlan.TASK_COST / 2, TaskPlan.TASK_COST / 2, TaskPlan.TASK_COST / 2));
        List<List<Double>> m = TaskPlan.balance(mixed, d -> d, 2);
        assertTrue(m.stream().anyMatch(t -> t.equals(List.of(TaskPlan.TASK_COST * 3))), m.toString());
        assertEquals(4, m.stream().mapToInt(List::size).sum());
        assertEquals(List.of(), TaskPlan.balance(List.<Double>of(), d -> d, 3));
    }
}
