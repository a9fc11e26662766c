package org.uso4j.core.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.uso4j.core.DType;
import org.uso4j.core.DeviceMemory;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.backend.DeviceBackend;
import org.uso4j.core.backend.ScalarBackend;

/** Device tensors (host accessors fail, reshape works) and the seam's test backend: counting, scopes, use after free. */
class DeviceSeamTest {
    private record Memory(String device, long byteSize) implements DeviceMemory {}

    private static void failsNaming(Executable e, String... parts) {
        IllegalStateException x = assertThrows(IllegalStateException.class, e);
        for (String p : parts) assertTrue(x.getMessage().contains(p), x.getMessage() + " should name " + p);
    }

    @Test
    void hostAccessorsOfADeviceTensorFailNamingDeviceDtypeShapeAndTheWayOut() {
        Tensor f = Tensor.onDevice(DType.F32, Shape.of(2, 3), new Memory("vulkan:1", 24));
        Tensor b = Tensor.onDevice(DType.BF16, Shape.of(4), new Memory("vulkan:1", 8));
        String[] parts = {"vulkan:1", "F32", "[2, 3]", "download it with Backend.toHost"};
        failsNaming(f::floats, parts);
        failsNaming(f::segment, parts);
        failsNaming(() -> f.getFloat(0), parts);
        failsNaming(() -> f.getLong(0), parts);
        failsNaming(f::toLongs, parts);
        failsNaming(b::toF32, "vulkan:1", "BF16", "Backend.toHost");
        assertSame(f, f.toF32());
        assertTrue(f.isOnDevice());
        assertFalse(f.isDenseF32());
        assertEquals("vulkan:1", f.deviceMemory().device());
        Tensor r = f.reshape(3, -1);
        assertArrayEquals(new int[] {3, 2}, r.dims());
        assertSame(f.deviceMemory(), r.deviceMemory());
        assertFalse(Tensor.zeros(2).isOnDevice());
        assertThrows(IllegalStateException.class, () -> Tensor.zeros(2).deviceMemory());
    }

    @Test
    void opsGiveDeviceTensorsAndCountWhatCrosses() {
        try (HostlessBackend be = new HostlessBackend()) {
            Tensor w = be.adopt(Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
            Tensor x = be.toDevice(Tensor.wrap(new float[] {1, 0, -1}, 1, 3));
            DeviceBackend.Counters before = be.counters();
            Tensor y = be.linear(x, w, null);
            assertTrue(y.isOnDevice());
            assertThrows(IllegalStateException.class, y::floats);
            assertEquals(0, be.counters().minus(before).transfers(), "device inputs cross nothing");
            be.add(y, Tensor.wrap(new float[] {1, 1}, 2));
            assertEquals(1, be.counters().minus(before).uploads(), "a host tensor given to an op is an upload");
            assertArrayEquals(new float[] {-2, -2}, be.toHost(y).floats());
            assertEquals(1, be.counters().minus(before).downloads());
            assertTrue(be.allFinite(y));
            assertEquals(1, be.counters().minus(before).statusReads());
            assertEquals(1, be.weightUploads());
        }
    }

    @Test
    void scopesFreeWhatTheyMadeAndKeepMovesOut() {
        try (HostlessBackend be = new HostlessBackend()) {
            Tensor x = be.toDevice(Tensor.wrap(new float[] {1, 2}, 2));
            long baseline = be.liveBuffers();
            Tensor kept, dropped, inner;
            try (Backend.Scope outer = be.scope()) {
                try (Backend.Scope s = be.scope()) {
                    dropped = be.scale(x, 2f);
                    kept = s.keep(be.scale(x, 3f));
                }
                assertEquals(baseline + 1, be.liveBuffers(), "the inner scope freed what it did not keep");
                failsNaming(() -> be.add(dropped, x), "use after free");
                assertArrayEquals(new float[] {3, 6}, be.toHost(kept).floats());
                inner = be.add(kept, x);
            }
            assertEquals(baseline, be.liveBuffers(), "the outer scope freed the kept tensor and its own");
            failsNaming(() -> be.toHost(kept), "use after free");
            failsNaming(() -> be.toHost(inner), "use after free");
            assertArrayEquals(new float[] {1, 2}, be.toHost(x).floats(), "made outside every scope: still alive");
            Backend.Scope a = be.scope(), b = be.scope();
            assertThrows(IllegalStateException.class, a::close, "scopes close innermost first");
            b.close();
            a.close();
            assertEquals(0, be.openScopes());
        }
    }

    @Test
    void resultsEqualTheScalarTwins() {
        ScalarBackend s = new ScalarBackend();
        try (HostlessBackend be = new HostlessBackend()) {
            Tensor a = Tensor.wrap(new float[] {1, -2, 3, 0.5f}, 2, 2), b = Tensor.wrap(new float[] {0.25f, 4, -1, 2}, 2, 2);
            assertArrayEquals(s.matmul(a, b, true).floats(), be.toHost(be.matmul(be.toDevice(a), be.adopt(b), true)).floats());
            assertArrayEquals(s.concat(0, List.of(a, b)).floats(), be.toHost(be.concat(0, List.of(be.toDevice(a), be.toDevice(b)))).floats());
            Tensor bf16 = Tensor.of(DType.BF16, Shape.of(2), MemorySegment.ofArray(new byte[] {0, 0x3f, 0, 0x40}));
            Tensor dev = be.adopt(bf16);
            assertEquals(DType.BF16, dev.dtype());
            assertEquals(DType.BF16, be.toHost(dev).dtype());
            assertArrayEquals(new float[] {0.5f, 2f}, be.toHost(dev).toF32().floats());
        }
    }
}
