package org.uso4j.vulkan;

import static org.lwjgl.vulkan.VK10.*;

/**
 * A Vulkan call that failed, naming the call and the {@code VkResult}. {@link #outOfMemory()} and {@link #deviceLost()}
 * let callers tell the situations users must hear about apart from programming errors.
 */
public class VulkanException extends RuntimeException {
    private final int result;

    public VulkanException(String message, int result) {
        super(message);
        this.result = result;
    }

    public VulkanException(String message) { this(message, VK_ERROR_UNKNOWN); }

    public int result() { return result; }

    public boolean outOfMemory() { return result == VK_ERROR_OUT_OF_DEVICE_MEMORY || result == VK_ERROR_OUT_OF_HOST_MEMORY; }

    public boolean deviceLost() { return result == VK_ERROR_DEVICE_LOST; }

    /** Throws unless {@code result} is VK_SUCCESS (or another non-error code). */
    static void check(int result, String call) {
        if (result < 0) throw new VulkanException(call + " failed: " + name(result), result);
    }

    static String name(int result) {
        return switch (result) {
            case VK_ERROR_OUT_OF_HOST_MEMORY -> "VK_ERROR_OUT_OF_HOST_MEMORY";
            case VK_ERROR_OUT_OF_DEVICE_MEMORY -> "VK_ERROR_OUT_OF_DEVICE_MEMORY (the GPU's memory is full)";
            case VK_ERROR_INITIALIZATION_FAILED -> "VK_ERROR_INITIALIZATION_FAILED";
            case VK_ERROR_DEVICE_LOST -> "VK_ERROR_DEVICE_LOST (the GPU stopped: driver reset, hang or removal)";
            case VK_ERROR_MEMORY_MAP_FAILED -> "VK_ERROR_MEMORY_MAP_FAILED";
            case VK_ERROR_LAYER_NOT_PRESENT -> "VK_ERROR_LAYER_NOT_PRESENT";
            case VK_ERROR_EXTENSION_NOT_PRESENT -> "VK_ERROR_EXTENSION_NOT_PRESENT";
            case VK_ERROR_FEATURE_NOT_PRESENT -> "VK_ERROR_FEATURE_NOT_PRESENT";
            case VK_ERROR_INCOMPATIBLE_DRIVER -> "VK_ERROR_INCOMPATIBLE_DRIVER (no Vulkan 1.3 driver)";
            case VK_ERROR_TOO_MANY_OBJECTS -> "VK_ERROR_TOO_MANY_OBJECTS";
            case VK_ERROR_FRAGMENTED_POOL -> "VK_ERROR_FRAGMENTED_POOL";
            default -> "VkResult " + result;
        };
    }
}
