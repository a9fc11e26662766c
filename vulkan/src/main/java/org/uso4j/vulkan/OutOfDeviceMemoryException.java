package org.uso4j.vulkan;

import static org.lwjgl.vulkan.VK10.VK_ERROR_OUT_OF_DEVICE_MEMORY;

/** A device allocation that does not fit: what was asked, what is in use and the limit, in words a user can act on. */
public final class OutOfDeviceMemoryException extends VulkanException {
    public OutOfDeviceMemoryException(DeviceInfo device, long asked, long inUse, long limit) {
        super(String.format("out of GPU memory on %s (%s): %s more needed, %s in use of %s; use a smaller image, 8-bit"
                        + " weights, --offload, or --device cpu", device.id(), device.name(), mib(asked), mib(inUse), mib(limit)),
                VK_ERROR_OUT_OF_DEVICE_MEMORY);
    }

    static String mib(long bytes) { return String.format("%.1f MiB", bytes / (1024.0 * 1024)); }
}
