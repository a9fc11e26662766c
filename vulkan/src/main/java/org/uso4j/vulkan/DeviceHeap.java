package org.uso4j.vulkan;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.HashMap;
import java.util.Set;
import java.util.Map;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.*;

/**
 * Device memory: one buffer per allocation, freed buffers kept in per-size-class pools for reuse (activations of a
 * step have the same sizes every step), a memory limit (the device heap's size, or a lower one given at open: tests
 * use it to force out-of-memory), and the accounting {@code uso4j} prints (in use, pooled, peak).
 */
public final class DeviceHeap implements AutoCloseable {
    private static final long ALIGN = 256;

    private final VulkanContext ctx;
    private final long limit;
    private final int deviceType;   // memory type for weights and activations
    private final boolean deviceMapped;
    private final int stagingType;  // host-visible, coherent
    private final Map<Long, ArrayDeque<Buffer>> pool = new HashMap<>();
    private final Set<Buffer> all = new HashSet<>();
    private long inUse, pooled, peak;

    DeviceHeap(VulkanContext ctx, long limitBytes) {
        this.ctx = ctx;
        try (MemoryStack stack = stackPush()) {
            VkPhysicalDeviceMemoryProperties mem = VkPhysicalDeviceMemoryProperties.calloc(stack);
            vkGetPhysicalDeviceMemoryProperties(ctx.physical(), mem);
            int bestHeap = -1;
            long bestSize = -1;
            for (int h = 0; h < mem.memoryHeapCount(); h++) {
                if ((mem.memoryHeaps(h).flags() & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) != 0 && mem.memoryHeaps(h).size() > bestSize) {
                    bestHeap = h;
                    bestSize = mem.memoryHeaps(h).size();
                }
            }
            int dev = -1, devMapped = -1, stage = -1;
            int hostBits = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
            for (int t = 0; t < mem.memoryTypeCount(); t++) {
                int flags = mem.memoryTypes(t).propertyFlags();
                boolean onBest = mem.memoryTypes(t).heapIndex() == bestHeap;
                if (onBest && (flags & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT) != 0) {
                    if (dev < 0) dev = t;
                    if ((flags & hostBits) == hostBits && devMapped < 0) devMapped = t;
                }
                if ((flags & hostBits) == hostBits && (stage < 0 || (flags & VK_MEMORY_PROPERTY_HOST_CACHED_BIT) != 0)) stage = t;
            }
            if (stage < 0) throw new VulkanUnavailableException(ctx.info().id() + " has no host-visible memory type");
            if (dev < 0) dev = devMapped >= 0 ? devMapped : stage; // no device-local heap: integrated, memory is memory
            this.deviceMapped = devMapped >= 0;
            this.deviceType = deviceMapped ? devMapped : dev;
            this.stagingType = stage;
            long heapSize = bestSize > 0 ? bestSize : mem.memoryHeaps(mem.memoryTypes(stage).heapIndex()).size();
            this.limit = limitBytes > 0 ? Math.min(limitBytes, heapSize) : heapSize;
        }
    }

    /** A device buffer of at least {@code bytes} (reused from the pool when one of its size class is free). */
    public Buffer allocate(long bytes) { return allocate(bytes, false); }

    /** A host-visible buffer for transfers (not pooled, freed after the batch that uses it). */
    Buffer staging(long bytes) { return allocate(bytes, true); }

    private Buffer allocate(long bytes, boolean staging) {
        if (bytes <= 0) bytes = 4;
        long size = sizeClass(bytes);
        if (!staging) {
            ArrayDeque<Buffer> free = pool.get(size);
            if (free != null && !free.isEmpty()) {
                Buffer b = free.pop();
                pooled -= size;
                inUse += size;
                b.live = true;
                return b;
            }
        }
        if (inUse + pooled + size > limit) trim();
        if (inUse + size > limit) throw outOfMemory(size, null);
        Buffer b;
        try {
            b = create(size, staging);
        } catch (VulkanException e) {
            if (!e.outOfMemory()) throw e;
            trim();
            try {
                b = create(size, staging);
            } catch (VulkanException again) {
                throw outOfMemory(size, again);
            }
        }
        inUse += size;
        peak = Math.max(peak, inUse);
        all.add(b);
        return b;
    }

    /** Returns a buffer to the pool; its contents may be overwritten by any later op. */
    public void free(Buffer b) {
        if (!b.live) throw new IllegalStateException("buffer freed twice: " + b);
        b.live = false;
        inUse -= b.bytes;
        if (b.staging) {
            destroy(b);
            all.remove(b);
            return;
        }
        pooled += b.bytes;
        pool.computeIfAbsent(b.bytes, k -> new ArrayDeque<>()).push(b);
    }

    /** Destroys every pooled buffer (their memory goes back to the driver). */
    public void trim() {
        ctx.stream().flush();
        for (ArrayDeque<Buffer> q : pool.values()) {
            for (Buffer b : q) {
                destroy(b);
                all.remove(b);
            }
            q.clear();
        }
        pooled = 0;
    }

    private OutOfDeviceMemoryException outOfMemory(long size, Throwable cause) {
        OutOfDeviceMemoryException e = new OutOfDeviceMemoryException(ctx.info(), size, inUse, limit);
        if (cause != null) e.initCause(cause);
        return e;
    }

    /** Rounds to 256 bytes below 1 MiB, else to a step of 1/16 of the next power of two (≤ 6.25% waste). */
    static long sizeClass(long bytes) {
        if (bytes <= (1 << 20)) return (bytes + ALIGN - 1) / ALIGN * ALIGN;
        long step = Long.highestOneBit(bytes - 1) >> 4;
        return (bytes + step - 1) / step * step;
    }

    private Buffer create(long size, boolean staging) {
        VkDevice device = ctx.device();
        try (MemoryStack stack = stackPush()) {
            VkBufferCreateInfo info = VkBufferCreateInfo.calloc(stack).sType$Default().size(size)
                    .usage(VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT)
                    .sharingMode(VK_SHARING_MODE_EXCLUSIVE);
            var lp = stack.mallocLong(1);
            VulkanException.check(vkCreateBuffer(device, info, null, lp), "vkCreateBuffer(" + size + " bytes)");
            long buffer = lp.get(0);
            VkMemoryRequirements req = VkMemoryRequirements.malloc(stack);
            vkGetBufferMemoryRequirements(device, buffer, req);
            int type = staging ? stagingType : deviceType;
            if ((req.memoryTypeBits() & (1 << type)) == 0) {
                vkDestroyBuffer(device, buffer, null);
                throw new VulkanException("memory type " + type + " cannot hold a storage buffer on " + ctx.info().id());
            }
            VkMemoryAllocateInfo alloc = VkMemoryAllocateInfo.calloc(stack).sType$Default().allocationSize(req.size()).memoryTypeIndex(type);
            int r = vkAllocateMemory(device, alloc, null, lp);
            if (r < 0) {
                vkDestroyBuffer(device, buffer, null);
                VulkanException.check(r, "vkAllocateMemory(" + req.size() + " bytes)");
            }
            long memory = lp.get(0);
            VulkanException.check(vkBindBufferMemory(device, buffer, memory, 0), "vkBindBufferMemory");
            MemorySegment mapped = null;
            if (staging || deviceMapped) {
                var pp = stack.mallocPointer(1);
                VulkanException.check(vkMapMemory(device, memory, 0, size, 0, pp), "vkMapMemory");
                mapped = MemorySegment.ofAddress(pp.get(0)).reinterpret(size);
            }
            return new Buffer(buffer, memory, size, mapped, staging);
        }
    }

    private void destroy(Buffer b) {
        vkDestroyBuffer(ctx.device(), b.handle, null);
        vkFreeMemory(ctx.device(), b.memory, null);
    }

    /** Whether device buffers are host-visible (no staging copies). */
    public boolean mapped() { return deviceMapped; }
    public long limit() { return limit; }
    public long inUse() { return inUse; }
    public long pooled() { return pooled; }
    public long peak() { return peak; }

    @Override
    public void close() {
        for (Buffer b : all) destroy(b);
        all.clear();
        pool.clear();
        inUse = pooled = 0;
    }
}
