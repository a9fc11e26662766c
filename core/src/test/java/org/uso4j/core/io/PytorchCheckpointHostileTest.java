package org.uso4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.uso4j.core.DType;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;

/** Hand-built archives and pickles: what a state dict needs is read; everything else is refused with a clear error. */
class PytorchCheckpointHostileTest {
    private static final Path NAME = Path.of("hostile.pt");

    private static byte[] f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    /** An archive {@code a/} with data.pkl, version and one storage record {@code a/data/0}. */
    private static byte[] archive(byte[] pickle, byte[] storage) {
        return new TorchZipBuilder().add("a/data.pkl", pickle).add("a/data/0", storage).add("a/version", "3\n".getBytes()).build();
    }

    private static PytorchCheckpoint read(byte[] zip) {
        return PytorchCheckpoint.parse(NAME, Arena.ofConfined(), MemorySegment.ofArray(zip));
    }

    private static String refused(byte[] zip) {
        return assertThrows(CheckpointException.class, () -> read(zip).close()).getMessage();
    }

    private static void assertRefused(byte[] zip, String expected) {
        String msg = refused(zip);
        assertTrue(msg.contains(expected), "message '" + msg + "' lacks '" + expected + "'");
        assertTrue(msg.startsWith(NAME.toString()), "message names the file: " + msg);
    }

    /** OrderedDict{a: [2,2] at offset 1, b: [1] at offset 0} over one 5-float storage. */
    private static byte[] sharedPickle() {
        return new PickleBuilder().orderedDict()
                .str("a").tensor("FloatStorage", "0", 5, 1, new long[]{2, 2}, new long[]{2, 1})
                .str("b").tensor("FloatStorage", "0", 5, 0, new long[]{1}, new long[]{1})
                .setItems().stop().bytes();
    }

    @Test
    void readsSharedStorageWithOffsets() {
        for (boolean zip64 : new boolean[]{false, true}) {
            TorchZipBuilder z = new TorchZipBuilder().add("x/data.pkl", sharedPickle()).add("x/data/0", f32(0, 1, 2, 3, 4))
                    .add("x/version", "3\n".getBytes());
            try (PytorchCheckpoint c = read((zip64 ? z.zip64() : z).build())) {
                assertEquals(List.of("a", "b"), List.copyOf(c.names()));
                Tensor a = c.tensor("a");
                assertEquals(Shape.of(2, 2), a.shape());
                assertArrayEquals(new float[]{1, 2, 3, 4}, a.toF32().floats());
                assertEquals(0f, c.tensor("b").toF32().floats()[0]);
                assertEquals(c.storageKey("a"), c.storageKey("b"));
                assertEquals("3", c.metadata().get("pytorch.version"));
            }
        }
    }

    @Test
    void readsScalarsParametersAndOtherStorageTypes() {
        byte[] p = new PickleBuilder().orderedDict()
                .str("scalar").tensor("BFloat16Storage", "0", 2, 1, new long[]{}, new long[]{})
                .str("param").global("torch._utils", "_rebuild_parameter").mark()
                .tensor("BFloat16Storage", "0", 2, 0, new long[]{2, 1}, new long[]{1, 7}) // stride of a size-1 dim is free
                .op(0x88).global("collections", "OrderedDict").op(')').op('R').tuple().op('R')
                .str("empty").tensor("BFloat16Storage", "0", 2, 99, new long[]{0, 3}, new long[]{5, 9})
                .setItems().stop().bytes();
        try (PytorchCheckpoint c = read(archive(p, new byte[]{(byte) 0x80, 0x3f, 0x00, 0x40}))) {
            assertEquals(DType.BF16, c.entry("scalar").dtype());
            assertEquals(Shape.of(), c.entry("scalar").shape());
            assertEquals(2f, c.tensor("scalar").toF32().floats()[0]);
            assertArrayEquals(new float[]{1, 2}, c.tensor("param").toF32().floats());
            assertEquals(Shape.of(0, 3), c.tensor("empty").shape());
        }
    }

    @Test
    void trainingCheckpointWrapperIsUnwrapped() {
        byte[] p = new PickleBuilder().op('}').mark()
                .str("epoch").integer(7)
                .str("args").global("argparse", "Namespace").op(')').op(0x81).op('}').mark().str("lr").op('G')
                .raw(new byte[]{0x3f, (byte) 0xb9, (byte) 0x99, (byte) 0x99, (byte) 0x99, (byte) 0x99, (byte) 0x99, (byte) 0x9a})
                .setItems().op('b')
                .str("optimizer").op('}').mark().str("state").op('}').integer(0).op('}').op('s').setItems()
                .str("model_state_dict").orderedDict().str("module.w")
                .tensor("FloatStorage", "0", 2, 0, new long[]{2}, new long[]{1}).setItems()
                .setItems().stop().bytes();
        try (PytorchCheckpoint c = read(archive(p, f32(5, 6)))) {
            assertEquals(List.of("module.w"), List.copyOf(c.names()));
            assertEquals("model_state_dict", c.metadata().get("pytorch.state_dict_key"));
            assertEquals("7", c.metadata().get("epoch"));
        }
        byte[] two = new PickleBuilder().op('}').mark()
                .str("model").orderedDict().str("w").tensor("FloatStorage", "0", 2, 0, new long[]{2}, new long[]{1}).setItems()
                .str("state_dict").orderedDict().str("w").tensor("FloatStorage", "0", 2, 0, new long[]{2}, new long[]{1}).setItems()
                .setItems().stop().bytes();
        assertRefused(archive(two, f32(5, 6)), "several");
        byte[] none = new PickleBuilder().op('}').mark().str("epoch").integer(1).setItems().stop().bytes();
        assertRefused(archive(none, f32(5, 6)), "no state dict found");
    }

    @Test
    void refusesOsSystem() {
        byte[] p = new PickleBuilder().global("os", "system").mark().str("echo pwned").tuple().op('R').stop().bytes();
        assertRefused(archive(p, f32(0)), "global os.system not allowed");
        byte[] builtins = new PickleBuilder().global("builtins", "eval").stop().bytes();
        assertRefused(archive(builtins, f32(0)), "global builtins.eval not allowed");
    }

    @Test
    void refusesReduceOnAnythingButWhitelistedCallables() {
        byte[] storageCall = new PickleBuilder().global("torch", "FloatStorage").mark().integer(3).tuple().op('R').stop().bytes();
        assertRefused(archive(storageCall, f32(0)), "REDUCE on torch.FloatStorage not allowed");
        byte[] strCall = new PickleBuilder().str("os.system").op(')').op('R').stop().bytes();
        assertRefused(archive(strCall, f32(0)), "REDUCE on a str not allowed");
        byte[] odArgs = new PickleBuilder().global("collections", "OrderedDict").mark().op(']').tuple().op('R').stop().bytes();
        assertRefused(archive(odArgs, f32(0)), "OrderedDict(...) with arguments not allowed");
        byte[] build = new PickleBuilder().op('}').op('}').op('b').stop().bytes();
        assertRefused(archive(build, f32(0)), "BUILD on a dict not allowed");
        byte[] newobj = new PickleBuilder().global("collections", "OrderedDict").op(')').op(0x81).stop().bytes();
        assertRefused(archive(newobj, f32(0)), "NEWOBJ of global collections.OrderedDict not allowed");
    }

    @Test
    void refusesUnknownOpcodes() {
        assertRefused(archive(new PickleBuilder().op('i').stop().bytes(), f32(0)), "pickle opcode 0x69 (INST) not allowed");
        assertRefused(archive(new PickleBuilder().op(0x93).stop().bytes(), f32(0)), "0x93 (STACK_GLOBAL) not allowed");
        assertRefused(archive(new PickleBuilder().op(0xfe).stop().bytes(), f32(0)), "0xfe (unknown opcode) not allowed");
        assertRefused(archive(new PickleBuilder().op('}').bytes(), f32(0)), "truncated pickle");
    }

    @Test
    void refusesStorageOverrunsAndMissingRecords() {
        byte[] over = new PickleBuilder().orderedDict()
                .str("a").tensor("FloatStorage", "0", 5, 3, new long[]{3}, new long[]{1}).setItems().stop().bytes();
        assertRefused(archive(over, f32(0, 1, 2, 3, 4)), "lies outside the storage");
        byte[] numel = new PickleBuilder().orderedDict()
                .str("a").tensor("FloatStorage", "0", 6, 0, new long[]{6}, new long[]{1}).setItems().stop().bytes();
        assertRefused(archive(numel, f32(0, 1, 2, 3, 4)), "holds 20 bytes");
        byte[] missing = new PickleBuilder().orderedDict()
                .str("a").tensor("FloatStorage", "7", 1, 0, new long[]{1}, new long[]{1}).setItems().stop().bytes();
        assertRefused(archive(missing, f32(0)), "missing record 'a/data/7'");
        byte[] strided = new PickleBuilder().orderedDict()
                .str("t").tensor("FloatStorage", "0", 4, 0, new long[]{2, 2}, new long[]{1, 2}).setItems().stop().bytes();
        assertRefused(archive(strided, f32(0, 1, 2, 3)), "non-contiguous stride (1, 2) for size (2, 2)");
        byte[] retyped = new PickleBuilder().orderedDict()
                .str("a").tensor("FloatStorage", "0", 2, 0, new long[]{2}, new long[]{1})
                .str("b").tensor("IntStorage", "0", 2, 0, new long[]{2}, new long[]{1}).setItems().stop().bytes();
        assertRefused(archive(retyped, f32(0, 1)), "referenced as both");
    }

    @Test
    void refusesDeepNestingAndBadMemo() {
        PickleBuilder deep = new PickleBuilder();
        for (int i = 0; i < 1000; i++) deep.mark();
        assertRefused(archive(deep.stop().bytes(), f32(0)), "nesting deeper than 64");
        byte[] memo = new PickleBuilder().op('j').i32(0xFFFFFFFFL).stop().bytes();
        assertRefused(archive(memo, f32(0)), "memo index 4294967295 is not defined");
        byte[] hugeString = new PickleBuilder().op('X').i32(0x7FFFFFF0L).raw(new byte[10]).stop().bytes();
        assertRefused(archive(hugeString, f32(0)), "truncated pickle");
        byte[] listKey = new PickleBuilder().op('}').op(']').integer(1).op('s').stop().bytes();
        assertRefused(archive(listKey, f32(0)), "dict key of type list not allowed");
    }

    @Test
    void refusesBrokenArchives() {
        byte[] good = archive(sharedPickle(), f32(0, 1, 2, 3, 4));
        read(good).close();
        assertRefused(java.util.Arrays.copyOf(good, good.length / 2), "no end-of-central-directory record");
        assertRefused(java.util.Arrays.copyOf(good, 10), "too short");
        byte[] compressed = new TorchZipBuilder().add("a/data.pkl", sharedPickle()).add("a/data/0", f32(0, 1, 2, 3, 4), 8).build();
        assertRefused(compressed, "is compressed (method 8)");
        byte[] noPickle = new TorchZipBuilder().add("a/data/0", f32(0)).build();
        assertRefused(noPickle, "expected one <archive>/data.pkl record");
        byte[] legacy = {(byte) 0x80, 2, (byte) 0x8a, 10};
        assertRefused(legacy, "legacy");
        // Every truncation and many single-byte corruptions fail cleanly (a CheckpointException, nothing else).
        for (int n = 0; n < good.length; n++) {
            try {
                read(java.util.Arrays.copyOf(good, n)).close();
                fail("truncated to " + n + " bytes was accepted");
            } catch (CheckpointException expected) {
                // fine
            }
        }
        Random rnd = new Random(1234);
        for (int i = 0; i < 3000; i++) {
            byte[] bad = good.clone();
            for (int k = 0; k < 1 + rnd.nextInt(3); k++) bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
            try {
                read(bad).close();
            } catch (CheckpointException expected) {
                // fine
            }
        }
    }

    @Test
    void corruptedPicklesFailCleanly() {
        // The archive's CRC would catch most corruptions of data.pkl: rebuild it so the interpreter sees them.
        byte[] pickle = sharedPickle();
        Random rnd = new Random(99);
        int accepted = 0;
        for (int i = 0; i < 5000; i++) {
            byte[] bad = pickle.clone();
            for (int k = 0; k < 1 + rnd.nextInt(3); k++) bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
            if (rnd.nextInt(4) == 0) bad = java.util.Arrays.copyOf(bad, rnd.nextInt(bad.length));
            try (PytorchCheckpoint c = read(archive(bad, f32(0, 1, 2, 3, 4)))) {
                for (String n : c.names()) c.tensor(n).toF32();
                accepted++;
            } catch (CheckpointException expected) {
                // fine
            }
        }
        assertTrue(accepted < 5000);
    }
}
