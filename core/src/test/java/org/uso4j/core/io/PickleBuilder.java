package org.uso4j.core.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Emits pickle opcodes by hand (protocol 2, as torch.save writes them) for reader tests. */
final class PickleBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleBuilder() { op(0x80).op(2); }

    PickleBuilder op(int b) { out.write(b); return this; }

    PickleBuilder raw(byte[] b) { out.write(b, 0, b.length); return this; }

    PickleBuilder i32(long v) { for (int i = 0; i < 4; i++) op((int) (v >>> (8 * i)) & 0xFF); return this; }

    PickleBuilder str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return op('X').i32(b.length).raw(b);
    }

    PickleBuilder global(String module, String name) {
        return op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
    }

    PickleBuilder integer(long v) {
        if (v >= 0 && v < 256) return op('K').op((int) v);
        if (v >= 0 && v < 65536) return op('M').op((int) v & 0xFF).op((int) v >> 8);
        return op('J').i32(v);
    }

    PickleBuilder mark() { return op('('); }

    PickleBuilder tuple() { return op('t'); }

    /** ('storage', torch.&lt;type&gt;, key, 'cpu', numel) followed by BINPERSID. */
    PickleBuilder storage(String type, String key, long numel) {
        return mark().str("storage").global("torch", type).str(key).str("cpu").integer(numel).tuple().op('Q');
    }

    /** _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()) with the storage given. */
    PickleBuilder tensor(String type, String key, long numel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2").mark();
        storage(type, key, numel).integer(offset);
        mark();
        for (long d : size) integer(d);
        tuple().mark();
        for (long s : stride) integer(s);
        tuple().op(0x89).global("collections", "OrderedDict").op(')').op('R');
        return tuple().op('R');
    }

    /** Starts an OrderedDict() with a MARK for its SETITEMS. */
    PickleBuilder orderedDict() { return global("collections", "OrderedDict").op(')').op('R').mark(); }

    PickleBuilder setItems() { return op('u'); }

    PickleBuilder stop() { return op('.'); }

    byte[] bytes() { return out.toByteArray(); }
}
