package org.uso4j.vulkan;

/** No usable Vulkan here: no loader library, no driver, no Vulkan 1.3 device, or no device with the asked index. */
public final class VulkanUnavailableException extends VulkanException {
    public VulkanUnavailableException(String message) { super(message); }

    public VulkanUnavailableException(String message, Throwable cause) {
        super(message);
        initCause(cause);
    }
}
