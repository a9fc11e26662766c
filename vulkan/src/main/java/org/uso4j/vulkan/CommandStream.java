package org.uso4j.vulkan;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.*;

/**
 * Records dispatches and copies into one command buffer, each followed by a memory barrier so every op sees the
 * previous ones' writes, and submits them in one batch when the host needs a result ({@link #flush}): ops never
 * wait for the GPU, downloads do. Descriptor sets come from a pool reset per batch.
 */
public final class CommandStream implements AutoCloseable {
    private static final int SETS_PER_BATCH = 2048;
    private static final long WAIT_NANOS = 600L * 1_000_000_000L;

    private final VulkanContext ctx;
    private final VkDevice device;
    private final long commandPool;
    private final VkCommandBuffer cmd;
    private final long fence;
    private final long descriptorPool;
    private final long maxRange;
    private final List<Buffer> afterBatch = new ArrayList<>();
    private boolean recording;
    private int setsUsed;
    private long batch;
    private long dispatches, batches;
    private VulkanException lost;

    CommandStream(VulkanContext ctx) {
        this.ctx = ctx;
        this.device = ctx.device();
        this.maxRange = ctx.info().maxStorageBufferRange();
        try (MemoryStack stack = stackPush()) {
            var lp = stack.mallocLong(1);
            VulkanException.check(vkCreateCommandPool(device, VkCommandPoolCreateInfo.calloc(stack).sType$Default()
                    .flags(VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT).queueFamilyIndex(ctx.queueFamily()), null, lp), "vkCreateCommandPool");
            this.commandPool = lp.get(0);
            PointerBuffer pp = stack.mallocPointer(1);
            VulkanException.check(vkAllocateCommandBuffers(device, VkCommandBufferAllocateInfo.calloc(stack).sType$Default()
                    .commandPool(commandPool).level(VK_COMMAND_BUFFER_LEVEL_PRIMARY).commandBufferCount(1), pp), "vkAllocateCommandBuffers");
            this.cmd = new VkCommandBuffer(pp.get(0), device);
            VulkanException.check(vkCreateFence(device, VkFenceCreateInfo.calloc(stack).sType$Default(), null, lp), "vkCreateFence");
            this.fence = lp.get(0);
            VkDescriptorPoolSize.Buffer sizes = VkDescriptorPoolSize.calloc(1, stack).type(VK_DESCRIPTOR_TYPE_STORAGE_BUFFER)
                    .descriptorCount(SETS_PER_BATCH * 8);
            VulkanException.check(vkCreateDescriptorPool(device, VkDescriptorPoolCreateInfo.calloc(stack).sType$Default()
                    .maxSets(SETS_PER_BATCH).pPoolSizes(sizes), null, lp), "vkCreateDescriptorPool");
            this.descriptorPool = lp.get(0);
        }
    }

    /**
     * Records {@code kernel} over {@code groupsX × groupsY × groupsZ} work groups with {@code push} (exactly the
     * kernel's push-constant bytes; may be null when it has none) and {@code buffers} bound to 0..n-1.
     */
    public void dispatch(Kernel kernel, int groupsX, int groupsY, int groupsZ, ByteBuffer push, Buffer... buffers) {
        if (buffers.length != kernel.bindings) {
            throw new IllegalArgumentException(kernel.name + " binds " + kernel.bindings + " buffers, got " + buffers.length);
        }
        if (groupsX <= 0 || groupsY <= 0 || groupsZ <= 0 || groupsX > 65535 || groupsY > 65535 || groupsZ > 65535) {
            throw new IllegalArgumentException(kernel.name + ": work-group counts must be 1..65535, got " + groupsX + "x" + groupsY + "x" + groupsZ);
        }
        int pushed = push == null ? 0 : push.remaining();
        if (pushed != kernel.pushBytes) throw new IllegalArgumentException(kernel.name + " takes " + kernel.pushBytes + " push bytes, got " + pushed);
        if (setsUsed == SETS_PER_BATCH) flush();
        begin();
        try (MemoryStack stack = stackPush()) {
            var lp = stack.mallocLong(1);
            VulkanException.check(vkAllocateDescriptorSets(device, VkDescriptorSetAllocateInfo.calloc(stack).sType$Default()
                    .descriptorPool(descriptorPool).pSetLayouts(stack.longs(kernel.setLayout)), lp), "vkAllocateDescriptorSets");
            long set = lp.get(0);
            setsUsed++;
            VkWriteDescriptorSet.Buffer writes = VkWriteDescriptorSet.calloc(buffers.length, stack);
            for (int i = 0; i < buffers.length; i++) {
                Buffer b = buffers[i];
                if (!b.live) throw new IllegalStateException(kernel.name + ": binding " + i + " is a freed buffer");
                if (b.bytes > maxRange) {
                    throw new OutOfDeviceMemoryException(ctx.info(), b.bytes, ctx.heap().inUse(), maxRange);
                }
                b.batch = batch;
                VkDescriptorBufferInfo.Buffer info = VkDescriptorBufferInfo.calloc(1, stack).buffer(b.handle).offset(0).range(b.bytes);
                writes.get(i).sType$Default().dstSet(set).dstBinding(i).descriptorType(VK_DESCRIPTOR_TYPE_STORAGE_BUFFER)
                        .descriptorCount(1).pBufferInfo(info);
            }
            vkUpdateDescriptorSets(device, writes, null);
            vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, kernel.pipeline);
            vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, kernel.layout, 0, stack.longs(set), null);
            if (push != null) vkCmdPushConstants(cmd, kernel.layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, push);
            vkCmdDispatch(cmd, groupsX, groupsY, groupsZ);
            barrier(stack);
        }
        dispatches++;
    }

    /** Records a copy of {@code bytes} from {@code src} at {@code srcOffset} to {@code dst} at {@code dstOffset}. */
    public void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long bytes) {
        begin();
        src.batch = batch;
        dst.batch = batch;
        try (MemoryStack stack = stackPush()) {
            vkCmdCopyBuffer(cmd, src.handle, dst.handle, VkBufferCopy.calloc(1, stack).srcOffset(srcOffset).dstOffset(dstOffset).size(bytes));
            barrier(stack);
        }
    }

    /** Frees {@code b} once the current batch has run (staging buffers a recorded copy still reads). */
    void releaseAfterBatch(Buffer b) { afterBatch.add(b); }

    /** True when {@code b} is bound by commands recorded but not yet finished. */
    boolean pending(Buffer b) { return recording && b.batch == batch; }

    private void barrier(MemoryStack stack) {
        VkMemoryBarrier.Buffer mb = VkMemoryBarrier.calloc(1, stack).sType$Default()
                .srcAccessMask(VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT)
                .dstAccessMask(VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT);
        int stages = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
        vkCmdPipelineBarrier(cmd, stages, stages | VK_PIPELINE_STAGE_HOST_BIT, 0, mb, null, null);
    }

    private void begin() {
        if (lost != null) throw new VulkanException("the GPU was lost earlier in this run: " + lost.getMessage(), lost.result());
        if (recording) return;
        try (MemoryStack stack = stackPush()) {
            VulkanException.check(vkBeginCommandBuffer(cmd, VkCommandBufferBeginInfo.calloc(stack).sType$Default()
                    .flags(VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT)), "vkBeginCommandBuffer");
        }
        recording = true;
    }

    /** Submits what was recorded and waits for it; a lost device or a timeout throws and poisons the stream. */
    public void flush() {
        if (!recording) {
            releaseStaging();
            return;
        }
        recording = false;
        try (MemoryStack stack = stackPush()) {
            VulkanException.check(vkEndCommandBuffer(cmd), "vkEndCommandBuffer");
            VkSubmitInfo submit = VkSubmitInfo.calloc(stack).sType$Default().pCommandBuffers(stack.pointers(cmd));
            int r = vkQueueSubmit(ctx.queue(), submit, fence);
            if (r >= 0) r = vkWaitForFences(device, stack.longs(fence), true, WAIT_NANOS);
            if (r == VK_TIMEOUT) {
                lost = new VulkanException("the GPU did not finish a batch of work within " + WAIT_NANOS / 1_000_000_000L + " s", VK_TIMEOUT);
                throw lost;
            }
            if (r < 0) {
                lost = new VulkanException("running recorded GPU work failed: " + VulkanException.name(r), r);
                throw lost;
            }
            vkResetFences(device, stack.longs(fence));
            vkResetCommandBuffer(cmd, 0);
            vkResetDescriptorPool(device, descriptorPool, 0);
        }
        setsUsed = 0;
        batch++;
        batches++;
        releaseStaging();
    }

    private void releaseStaging() {
        for (Buffer b : afterBatch) ctx.heap().free(b);
        afterBatch.clear();
    }

    /** Dispatches recorded since the context opened. */
    public long dispatches() { return dispatches; }

    /** Batches submitted (one fence wait each). */
    public long batches() { return batches; }

    @Override
    public void close() {
        try {
            if (lost == null) flush();
        } finally {
            vkDestroyDescriptorPool(device, descriptorPool, null);
            vkDestroyFence(device, fence, null);
            vkDestroyCommandPool(device, commandPool, null);
        }
    }
}
