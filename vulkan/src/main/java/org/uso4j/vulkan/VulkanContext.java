package org.uso4j.vulkan;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.*;

/**
 * One opened Vulkan device: the logical device with one compute queue, its memory ({@link DeviceHeap}), the compiled
 * kernels and the command stream ops are recorded into. Not thread-safe: one backend drives it from one thread.
 */
public final class VulkanContext implements AutoCloseable {
    private final VulkanInstance instance;
    private final boolean ownsInstance;
    private final DeviceInfo info;
    private final VkPhysicalDevice physical;
    private final VkDevice device;
    private final VkQueue queue;
    private final int queueFamily;
    private final boolean float64;
    private final DeviceHeap heap;
    private final ShaderCompiler compiler;
    private final Map<String, Kernel> kernels = new HashMap<>();
    private final CommandStream stream;
    private final Transfers transfers;
    private boolean closed;

    private VulkanContext(VulkanInstance instance, boolean ownsInstance, int index, Options options) {
        this.instance = instance;
        this.ownsInstance = ownsInstance;
        this.info = instance.devices().get(checkIndex(instance, index));
        this.physical = instance.physical(index);
        if (!info.vulkan13()) {
            throw new VulkanUnavailableException(info.id() + " (" + info.name() + ") offers Vulkan " + info.apiVersion()
                    + "; uso4j needs Vulkan 1.3");
        }
        try (MemoryStack stack = stackPush()) {
            this.queueFamily = computeQueueFamily(stack);
            VkDeviceQueueCreateInfo.Buffer queues = VkDeviceQueueCreateInfo.calloc(1, stack).sType$Default()
                    .queueFamilyIndex(queueFamily).pQueuePriorities(stack.floats(1f));
            VkPhysicalDeviceVulkan12Features f12 = VkPhysicalDeviceVulkan12Features.calloc(stack).sType$Default()
                    .shaderFloat16(info.float16()).storageBuffer8BitAccess(info.int8Storage());
            VkPhysicalDeviceFeatures supported = VkPhysicalDeviceFeatures.calloc(stack);
            vkGetPhysicalDeviceFeatures(physical, supported);
            this.float64 = supported.shaderFloat64();
            VkPhysicalDeviceFeatures base = VkPhysicalDeviceFeatures.calloc(stack).shaderInt64(info.int64()).shaderFloat64(float64);
            VkDeviceCreateInfo create = VkDeviceCreateInfo.calloc(stack).sType$Default().pQueueCreateInfos(queues)
                    .pEnabledFeatures(base).pNext(f12);
            PointerBuffer p = stack.mallocPointer(1);
            VulkanException.check(vkCreateDevice(physical, create, null, p), "vkCreateDevice on " + info.id());
            this.device = new VkDevice(p.get(0), physical, create, VulkanInstance.API_VERSION);
            vkGetDeviceQueue(device, queueFamily, 0, p);
            this.queue = new VkQueue(p.get(0), device);
        }
        this.heap = new DeviceHeap(this, options.memoryLimitBytes());
        this.compiler = new ShaderCompiler(options.shaderCache());
        this.stream = new CommandStream(this);
        this.transfers = new Transfers(this);
    }

    /** Settings of an opened device. {@code memoryLimitBytes} ≤ 0: the device's own; {@code shaderCache} null: no disk cache. */
    public record Options(long memoryLimitBytes, Path shaderCache) {
        public static Options defaults() { return new Options(0, ShaderCompiler.defaultCacheFolder()); }
    }

    /** Opens device {@code index} of a new instance (closed with this context). */
    public static VulkanContext open(int index, Options options) {
        VulkanInstance vi = VulkanInstance.create();
        try {
            return new VulkanContext(vi, true, index, options);
        } catch (RuntimeException e) {
            vi.close();
            throw e;
        }
    }

    private static int checkIndex(VulkanInstance vi, int index) {
        vi.physical(index); // throws naming the valid range
        return index;
    }

    private int computeQueueFamily(MemoryStack stack) {
        var n = stack.mallocInt(1);
        vkGetPhysicalDeviceQueueFamilyProperties(physical, n, null);
        VkQueueFamilyProperties.Buffer families = VkQueueFamilyProperties.malloc(n.get(0), stack);
        vkGetPhysicalDeviceQueueFamilyProperties(physical, n, families);
        for (int i = 0; i < families.capacity(); i++) {
            if ((families.get(i).queueFlags() & VK_QUEUE_COMPUTE_BIT) != 0) return i;
        }
        throw new VulkanUnavailableException(info.id() + " (" + info.name() + ") has no compute queue");
    }

    public DeviceInfo info() { return info; }
    public DeviceHeap heap() { return heap; }
    public CommandStream stream() { return stream; }
    public Transfers transfers() { return transfers; }

    /** Whether shaders may use {@code double} ({@code shaderFloat64}, enabled where the device has it). */
    public boolean float64() { return float64; }

    VkDevice device() { return device; }
    VkPhysicalDevice physical() { return physical; }
    VkQueue queue() { return queue; }
    int queueFamily() { return queueFamily; }

    /**
     * The compute kernel compiled from GLSL resource {@code shader} (a path under {@code org/uso4j/vulkan/shaders/}) with
     * {@code defines} ("NAME" or "NAME=value", they select variants such as a weight dtype), {@code bindings} storage
     * buffers and {@code pushBytes} of push constants; compiled once per context.
     */
    public Kernel kernel(String shader, int bindings, int pushBytes, String... defines) {
        String key = shader + "|" + String.join(",", defines);
        Kernel k = kernels.get(key);
        if (k == null) {
            k = new Kernel(this, shader, compiler.compile(shader, Set.of(defines)), bindings, pushBytes);
            kernels.put(key, k);
        }
        return k;
    }

    /** Waits for all recorded work; throws (device lost, …) naming the cause. */
    public void finish() { stream.flush(); }

    public boolean isClosed() { return closed; }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            stream.close();
        } finally {
            vkDeviceWaitIdle(device);
            kernels.values().forEach(Kernel::close);
            heap.close();
            vkDestroyDevice(device, null);
            if (ownsInstance) instance.close();
        }
    }
}
