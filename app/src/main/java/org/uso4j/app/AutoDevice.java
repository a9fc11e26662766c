package org.uso4j.app;

import org.uso4j.vulkan.DeviceInfo;
import org.uso4j.vulkan.VulkanInstance;
import org.uso4j.vulkan.VulkanUnavailableException;

/** What {@code --device auto} picks: a discrete GPU first, then an integrated one; never a software device. */
final class AutoDevice {
    private AutoDevice() {}

    /** The index of the GPU auto uses, or null for the CPU (no loader, no driver, or only CPU devices such as lavapipe). */
    static Integer firstGpu() {
        try (VulkanInstance vi = VulkanInstance.create()) {
            DeviceInfo best = null;
            for (DeviceInfo d : vi.devices()) {
                if (!d.vulkan13() || !d.kind().isGpu()) continue;
                if (best == null || (d.kind() == DeviceInfo.Kind.DISCRETE && best.kind() != DeviceInfo.Kind.DISCRETE)) best = d;
            }
            return best == null ? null : best.index();
        } catch (VulkanUnavailableException e) {
            return null;
        }
    }
}
