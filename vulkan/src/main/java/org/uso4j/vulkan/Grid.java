package org.uso4j.vulkan;

/**
 * Work groups for {@code items} independent invocations of a {@code local}-wide kernel, spread over x and y when they
 * exceed 65535 groups (the per-dimension limit). Shaders compute their item as
 * {@code gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * gl_WorkGroupSize.x} and return
 * when it is ≥ the item count.
 */
public record Grid(int x, int y) {
    public static Grid of(long items, int local) {
        long groups = Math.max(1, (items + local - 1) / local);
        if (groups <= 65535) return new Grid((int) groups, 1);
        long y = (groups + 65534) / 65535;
        if (y > 65535) throw new IllegalArgumentException(items + " items are more than one dispatch can cover");
        return new Grid((int) ((groups + y - 1) / y), (int) y);
    }
}
