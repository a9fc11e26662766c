package org.uso4j.app;

import java.util.List;
import java.util.concurrent.Callable;
import org.uso4j.vulkan.DeviceInfo;
import org.uso4j.vulkan.VulkanInstance;
import org.uso4j.vulkan.VulkanUnavailableException;
import picocli.CommandLine.Command;

@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "Lists the Vulkan devices (for --device vulkan:N) with their memory and the features that matter.")
final class DevicesCommand implements Callable<Integer> {
    @Override public Integer call() {
        System.out.println("cpu  " + Runtime.getRuntime().availableProcessors() + " threads (--device cpu)");
        List<DeviceInfo> devices;
        try (VulkanInstance vi = VulkanInstance.create()) {
            devices = vi.devices();
        } catch (VulkanUnavailableException e) {
            System.out.println("no Vulkan: " + e.getMessage());
            return 0;
        }
        if (devices.isEmpty()) System.out.println("no Vulkan device: the loader found no driver exposing one");
        for (DeviceInfo d : devices) {
            System.out.println(d.summary() + (d.vulkan13() ? "" : "  (not usable: uso4j needs Vulkan 1.3)")
                    + (d.kind().isGpu() ? "" : "  (used only when asked for: --device " + d.id() + ")"));
        }
        return 0;
    }
}
