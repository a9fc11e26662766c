package org.uso4j.core;

/**
 * A buffer owned by a device backend (a GPU allocation, say): what a {@link Tensor} made with
 * {@link Tensor#onDevice} refers to instead of host memory. Only the backend that made it can read or free it;
 * host code downloads such a tensor with {@code Backend.toHost}.
 */
public interface DeviceMemory {
    /** The device holding it, e.g. {@code vulkan:0}. */
    String device();

    /** Bytes allocated on the device. */
    long byteSize();
}
