package org.uso4j.vulkan;

import java.lang.foreign.MemorySegment;

/**
 * A Vulkan storage buffer and its memory (one allocation each). {@code mapped} is the host view when the memory is
 * host-visible (lavapipe, unified-memory and resizable-BAR GPUs), else null and transfers go through staging buffers.
 * Owned by a {@link DeviceHeap}; ops see it as a binding.
 */
public final class Buffer {
    final long handle;
    final long memory;
    final long bytes;
    final MemorySegment mapped;
    final boolean staging;
    long batch = -1;   // the command batch that last bound it (uploads into a recycled buffer wait for that batch)
    boolean live = true;

    Buffer(long handle, long memory, long bytes, MemorySegment mapped, boolean staging) {
        this.handle = handle;
        this.memory = memory;
        this.bytes = bytes;
        this.mapped = mapped;
        this.staging = staging;
    }

    /** Allocated size in bytes (at least what was asked, rounded to the heap's size class). */
    public long bytes() { return bytes; }

    public boolean isMapped() { return mapped != null; }

    @Override public String toString() { return "Buffer[" + bytes + " bytes" + (mapped != null ? ", mapped" : "") + "]"; }
}
