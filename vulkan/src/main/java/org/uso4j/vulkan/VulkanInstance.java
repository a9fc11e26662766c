package org.uso4j.vulkan;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;
import static org.lwjgl.vulkan.VK11.*;
import static org.lwjgl.vulkan.VK12.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.*;

/**
 * The process's Vulkan instance (API 1.3) and its physical devices. Fails with a {@link VulkanUnavailableException}
 * naming the cause when there is no loader library or no driver.
 */
public final class VulkanInstance implements AutoCloseable {
    static final int API_VERSION = VK_MAKE_API_VERSION(0, 1, 3, 0);
    private static boolean loaded;

    private final VkInstance instance;
    private final List<VkPhysicalDevice> physical = new ArrayList<>();
    private final List<DeviceInfo> devices = new ArrayList<>();

    private VulkanInstance(VkInstance instance) {
        this.instance = instance;
    }

    /** Loads the Vulkan loader once per process (LWJGL's {@code VK.create}). */
    static synchronized void loadLoader() {
        if (loaded) return;
        try {
            // LWJGL loads the loader in VK's static initialiser unless told otherwise; create() only where it did not
            if (org.lwjgl.vulkan.VK.getFunctionProvider() == null) org.lwjgl.vulkan.VK.create();
        } catch (Throwable e) {
            throw new VulkanUnavailableException("no Vulkan loader library (libvulkan.so.1) could be loaded: install the GPU"
                    + " driver's Vulkan support (Debian/Ubuntu: apt-get install libvulkan1 mesa-vulkan-drivers, or the"
                    + " NVIDIA driver) [" + e.getMessage() + "]", e);
        }
        loaded = true;
    }

    /** A new instance listing every physical device that offers a compute queue. */
    public static VulkanInstance create() {
        loadLoader();
        try (MemoryStack stack = stackPush()) {
            VkApplicationInfo app = VkApplicationInfo.calloc(stack).sType$Default()
                    .pApplicationName(stack.UTF8("uso4j")).pEngineName(stack.UTF8("uso4j")).apiVersion(API_VERSION);
            VkInstanceCreateInfo info = VkInstanceCreateInfo.calloc(stack).sType$Default().pApplicationInfo(app);
            PointerBuffer p = stack.mallocPointer(1);
            int r = vkCreateInstance(info, null, p);
            if (r == VK_ERROR_INCOMPATIBLE_DRIVER || r == VK_ERROR_INITIALIZATION_FAILED) {
                throw new VulkanUnavailableException("no Vulkan driver could start (" + VulkanException.name(r) + "): a Vulkan 1.3"
                        + " driver is needed (NVIDIA 525+, Mesa 22+ for AMD/Intel, lavapipe for the CPU)");
            }
            VulkanException.check(r, "vkCreateInstance");
            VulkanInstance vi = new VulkanInstance(new VkInstance(p.get(0), info));
            try {
                vi.enumerate(stack);
            } catch (RuntimeException e) {
                vi.close();
                throw e;
            }
            return vi;
        }
    }

    private void enumerate(MemoryStack stack) {
        var count = stack.mallocInt(1);
        VulkanException.check(vkEnumeratePhysicalDevices(instance, count, null), "vkEnumeratePhysicalDevices");
        PointerBuffer handles = stack.mallocPointer(count.get(0));
        VulkanException.check(vkEnumeratePhysicalDevices(instance, count, handles), "vkEnumeratePhysicalDevices");
        for (int i = 0; i < handles.capacity(); i++) {
            VkPhysicalDevice pd = new VkPhysicalDevice(handles.get(i), instance);
            physical.add(pd);
            devices.add(describe(pd, i));
        }
    }

    private static DeviceInfo describe(VkPhysicalDevice pd, int index) {
        try (MemoryStack stack = stackPush()) {
            VkPhysicalDeviceSubgroupProperties subgroup = VkPhysicalDeviceSubgroupProperties.calloc(stack).sType$Default();
            VkPhysicalDeviceVulkan12Properties p12 = VkPhysicalDeviceVulkan12Properties.calloc(stack).sType$Default();
            VkPhysicalDeviceProperties2 props = VkPhysicalDeviceProperties2.calloc(stack).sType$Default().pNext(subgroup).pNext(p12);
            vkGetPhysicalDeviceProperties2(pd, props);
            VkPhysicalDeviceVulkan12Features f12 = VkPhysicalDeviceVulkan12Features.calloc(stack).sType$Default();
            VkPhysicalDeviceVulkan11Features f11 = VkPhysicalDeviceVulkan11Features.calloc(stack).sType$Default();
            VkPhysicalDeviceFeatures2 features = VkPhysicalDeviceFeatures2.calloc(stack).sType$Default().pNext(f12).pNext(f11);
            vkGetPhysicalDeviceFeatures2(pd, features);
            VkPhysicalDeviceMemoryProperties mem = VkPhysicalDeviceMemoryProperties.calloc(stack);
            vkGetPhysicalDeviceMemoryProperties(pd, mem);
            long local = 0;
            for (int h = 0; h < mem.memoryHeapCount(); h++) {
                VkMemoryHeap heap = mem.memoryHeaps(h);
                if ((heap.flags() & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) != 0) local = Math.max(local, heap.size());
            }
            Set<String> ext = extensions(pd, stack);
            VkPhysicalDeviceLimits limits = props.properties().limits();
            int api = props.properties().apiVersion();
            String driver = p12.driverNameString() + " " + p12.driverInfoString();
            return new DeviceInfo(index, props.properties().deviceNameString(), kind(props.properties().deviceType()),
                    VK_API_VERSION_MAJOR(api) + "." + VK_API_VERSION_MINOR(api) + "." + VK_API_VERSION_PATCH(api), driver.strip(),
                    local, limits.maxComputeSharedMemorySize(), subgroup.subgroupSize(),
                    Integer.toUnsignedLong(limits.maxStorageBufferRange()), f12.shaderFloat16(), f12.storageBuffer8BitAccess(),
                    features.features().shaderInt64(), ext.contains("VK_KHR_shader_bfloat16"),
                    ext.contains("VK_KHR_cooperative_matrix"), ext.contains("VK_NV_cooperative_matrix2"),
                    VK_API_VERSION_MAJOR(api) > 1 || VK_API_VERSION_MINOR(api) >= 3);
        }
    }

    static Set<String> extensions(VkPhysicalDevice pd, MemoryStack stack) {
        var n = stack.mallocInt(1);
        VulkanException.check(vkEnumerateDeviceExtensionProperties(pd, (String) null, n, null), "vkEnumerateDeviceExtensionProperties");
        VkExtensionProperties.Buffer list = VkExtensionProperties.malloc(n.get(0), stack);
        VulkanException.check(vkEnumerateDeviceExtensionProperties(pd, (String) null, n, list), "vkEnumerateDeviceExtensionProperties");
        Set<String> names = new HashSet<>();
        for (VkExtensionProperties e : list) names.add(e.extensionNameString());
        return names;
    }

    private static DeviceInfo.Kind kind(int type) {
        return switch (type) {
            case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU -> DeviceInfo.Kind.DISCRETE;
            case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU -> DeviceInfo.Kind.INTEGRATED;
            case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU -> DeviceInfo.Kind.VIRTUAL;
            case VK_PHYSICAL_DEVICE_TYPE_CPU -> DeviceInfo.Kind.CPU;
            default -> DeviceInfo.Kind.OTHER;
        };
    }

    public List<DeviceInfo> devices() { return List.copyOf(devices); }

    VkInstance handle() { return instance; }

    VkPhysicalDevice physical(int index) {
        if (index < 0 || index >= physical.size()) {
            throw new VulkanUnavailableException("no Vulkan device " + index + ": this machine has " + physical.size()
                    + (physical.isEmpty() ? " (no driver exposes a device)" : ", vulkan:0 to vulkan:" + (physical.size() - 1)));
        }
        return physical.get(index);
    }

    @Override
    public void close() { vkDestroyInstance(instance, null); }
}
