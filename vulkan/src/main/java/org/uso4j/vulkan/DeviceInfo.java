package org.uso4j.vulkan;

/**
 * What {@code uso4j devices} shows of one Vulkan physical device and what the backend needs to know before using it.
 *
 * @param index           position in the instance's device list ({@code --device vulkan:N})
 * @param deviceLocalBytes size of the largest device-local memory heap
 * @param maxSharedMemory  {@code maxComputeSharedMemorySize} in bytes
 * @param maxStorageBufferRange the largest buffer one shader binding may see
 */
public record DeviceInfo(int index, String name, Kind kind, String apiVersion, String driver, long deviceLocalBytes,
                         int maxSharedMemory, int subgroupSize, long maxStorageBufferRange, boolean float16,
                         boolean int8Storage, boolean int64, boolean bfloat16, boolean cooperativeMatrix,
                         boolean cooperativeMatrix2, boolean vulkan13) {

    /** {@code VkPhysicalDeviceType}. */
    public enum Kind {
        DISCRETE("discrete GPU"), INTEGRATED("integrated GPU"), VIRTUAL("virtual GPU"), CPU("CPU (software)"), OTHER("other");

        private final String label;

        Kind(String label) { this.label = label; }

        public String label() { return label; }

        /** A real GPU, which {@code --device auto} may pick (software rasterisers such as lavapipe only when asked). */
        public boolean isGpu() { return this == DISCRETE || this == INTEGRATED || this == VIRTUAL; }
    }

    /** {@code vulkan:N}, the name a user passes to {@code --device}. */
    public String id() { return "vulkan:" + index; }

    /** One line for listings: name, kind, memory and the features that matter. */
    public String summary() {
        return String.format("%s  %s, %s, Vulkan %s, %s, %.1f GiB device memory, shared memory %d KiB, subgroup %d%s%s%s%s",
                id(), name, kind.label(), apiVersion, driver, deviceLocalBytes / (double) (1L << 30), maxSharedMemory / 1024,
                subgroupSize, float16 ? ", fp16" : "", bfloat16 ? ", bf16" : "",
                cooperativeMatrix ? ", cooperative matrix" : ", no cooperative matrix",
                cooperativeMatrix2 ? " (+NV cooperative matrix 2)" : "");
    }
}
