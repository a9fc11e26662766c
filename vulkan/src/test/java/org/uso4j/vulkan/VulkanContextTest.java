package org.uso4j.vulkan;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwjgl.system.MemoryStack.stackPush;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lwjgl.system.MemoryStack;

class VulkanContextTest {
    @Test
    void dispatchComputesAndDownloads() {
        VulkanContext ctx = TestDevice.context();
        int n = 70_001, nb = 13;
        float[] a = new float[n], b = new float[nb];
        Random r = new Random(1);
        for (int i = 0; i < n; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < nb; i++) b[i] = r.nextFloat();
        Buffer ba = ctx.transfers().upload(a), bb = ctx.transfers().upload(b), bo = ctx.heap().allocate(4L * n);
        Kernel add = ctx.kernel("pointwise/binary.comp", 3, 8, "OP_ADD");
        try (MemoryStack stack = stackPush()) {
            ByteBuffer push = stack.malloc(8).putInt(n).putInt(nb).flip();
            Grid g = Grid.of(n, 256);
            ctx.stream().dispatch(add, g.x(), g.y(), 1, push, ba, bb, bo);
        }
        float[] out = ctx.transfers().readFloats(bo, n);
        for (int i = 0; i < n; i++) assertEquals(a[i] + b[i % nb], out[i], 0f, "element " + i);
        ctx.heap().free(ba);
        ctx.heap().free(bb);
        ctx.heap().free(bo);
    }

    @Test
    void recycledBufferIsNotOverwrittenWhilePendingWorkReadsIt() {
        VulkanContext ctx = TestDevice.context();
        int n = 4096;
        float[] one = new float[n], two = new float[n];
        java.util.Arrays.fill(one, 1f);
        java.util.Arrays.fill(two, 2f);
        Buffer x = ctx.transfers().upload(one), zero = ctx.transfers().upload(new float[1]), out = ctx.heap().allocate(4L * n);
        Kernel add = ctx.kernel("pointwise/binary.comp", 3, 8, "OP_ADD");
        try (MemoryStack stack = stackPush()) {
            ctx.stream().dispatch(add, Grid.of(n, 256).x(), 1, 1, stack.malloc(8).putInt(n).putInt(1).flip(), x, zero, out);
        }
        ctx.heap().free(x);                          // x's op has not run yet
        Buffer y = ctx.transfers().upload(two);      // may reuse x's memory: must wait for the pending op first
        assertArrayEquals(one, ctx.transfers().readFloats(out, n));
        assertArrayEquals(two, ctx.transfers().readFloats(y, n));
        for (Buffer b : new Buffer[] {zero, out, y}) ctx.heap().free(b);
    }

    @Test
    void sizeClassesWasteLittle() {
        assertEquals(256, DeviceHeap.sizeClass(1));
        assertEquals(1 << 20, DeviceHeap.sizeClass(1 << 20));
        long big = (1 << 20) + 1;
        assertTrue(DeviceHeap.sizeClass(big) >= big && DeviceHeap.sizeClass(big) <= big * 1.07);
        assertEquals(new Grid(2, 1), Grid.of(257, 256));
        Grid g = Grid.of(100_000L * 256, 256);
        assertTrue((long) g.x() * g.y() >= 100_000 && g.x() <= 65535);
    }

    @Test
    void devicesAreListedWithTheirFeatures() {
        TestDevice.context();
        try (VulkanInstance vi = VulkanInstance.create()) {
            assertFalse(vi.devices().isEmpty());
            DeviceInfo d = vi.devices().get(0);
            assertTrue(d.summary().startsWith("vulkan:0  "), d.summary());
            assertTrue(d.maxSharedMemory() >= 16384 && d.subgroupSize() >= 1, d.summary());
        }
    }

    @Test
    void memoryLimitGivesAClearError() {
        TestDevice.context();
        try (VulkanContext small = VulkanContext.open(0, new VulkanContext.Options(1 << 20, null))) {
            Buffer ok = small.heap().allocate(512 << 10);
            OutOfDeviceMemoryException e = assertThrows(OutOfDeviceMemoryException.class, () -> small.heap().allocate(800 << 10));
            assertTrue(e.getMessage().contains("out of GPU memory") && e.getMessage().contains("1.0 MiB"), e.getMessage());
            small.heap().free(ok);
            small.heap().free(small.heap().allocate(800 << 10)); // after the free it fits
        }
    }
}
