package org.uso4j.vulkan;

import org.uso4j.core.DeviceMemory;

/**
 * What a Vulkan device tensor refers to: one buffer of the backend's heap. Freed when its scope closes (activations)
 * or with the backend (weights); a tensor whose memory was freed fails on use instead of reading recycled memory.
 */
final class VulkanMemory implements DeviceMemory {
    final VulkanBackend owner;
    final Buffer buffer;
    final long bytes;
    final boolean weight;
    boolean freed;
    Buffer f32; // a weight's float32 copy, made on the device the first time an op needs one

    VulkanMemory(VulkanBackend owner, Buffer buffer, long bytes, boolean weight) {
        this.owner = owner;
        this.buffer = buffer;
        this.bytes = bytes;
        this.weight = weight;
    }

    @Override public String device() { return owner.deviceId(); }

    @Override public long byteSize() { return bytes; }
}
