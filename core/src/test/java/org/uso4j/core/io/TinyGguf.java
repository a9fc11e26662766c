package org.uso4j.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes small (possibly deliberately broken) GGUF files for tests: KV pairs, tensor infos, data. */
final class TinyGguf {
    private record TensorInfo(String name, int nDims, long[] ne, int type, long offset, byte[] data) {}

    int version = 3;
    int alignment = 32;
    Long tensorCount; // null: the real count
    Long kvCount;
    int truncateTo = -1;   // -1: whole file
    private final ByteBuf kv = new ByteBuf();
    private int nKv;
    private final List<TensorInfo> tensors = new ArrayList<>();
    private long nextOffset;

    /** A growable little-endian byte buffer. */
    static final class ByteBuf {
        private ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        private void room(int n) {
            if (b.remaining() < n) {
                ByteBuffer nb = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n)).order(ByteOrder.LITTLE_ENDIAN);
                b.flip();
                nb.put(b);
                b = nb;
            }
        }
        ByteBuf u8(int v) { room(1); b.put((byte) v); return this; }
        ByteBuf u32(int v) { room(4); b.putInt(v); return this; }
        ByteBuf u64(long v) { room(8); b.putLong(v); return this; }
        ByteBuf f32(float v) { room(4); b.putFloat(v); return this; }
        ByteBuf bytes(byte[] v) { room(v.length); b.put(v); return this; }
        ByteBuf str(String s) { byte[] u = s.getBytes(StandardCharsets.UTF_8); return u64(u.length).bytes(u); }
        int size() { return b.position(); }
        byte[] toArray() { byte[] out = new byte[b.position()]; b.duplicate().flip().get(out); return out; }
    }

    /** A KV with raw payload bytes after the type. */
    TinyGguf kvRaw(String key, int type, byte[] payload) {
        kv.str(key).u32(type).bytes(payload);
        nKv++;
        return this;
    }

    TinyGguf kvString(String key, String v) { return kvRaw(key, GgufMetadata.STRING, new ByteBuf().str(v).toArray()); }
    TinyGguf kvU32(String key, int v) { return kvRaw(key, GgufMetadata.UINT32, new ByteBuf().u32(v).toArray()); }
    TinyGguf kvU64(String key, long v) { return kvRaw(key, GgufMetadata.UINT64, new ByteBuf().u64(v).toArray()); }
    TinyGguf kvF32(String key, float v) { return kvRaw(key, GgufMetadata.FLOAT32, new ByteBuf().f32(v).toArray()); }
    TinyGguf kvBool(String key, boolean v) { return kvRaw(key, GgufMetadata.BOOL, new byte[]{(byte) (v ? 1 : 0)}); }

    TinyGguf kvU8Array(String key, byte[] v) {
        return kvRaw(key, GgufMetadata.ARRAY, new ByteBuf().u32(GgufMetadata.UINT8).u64(v.length).bytes(v).toArray());
    }

    TinyGguf kvF32Array(String key, float... v) {
        ByteBuf p = new ByteBuf().u32(GgufMetadata.FLOAT32).u64(v.length);
        for (float f : v) p.f32(f);
        return kvRaw(key, GgufMetadata.ARRAY, p.toArray());
    }

    TinyGguf kvI32Array(String key, int... v) {
        ByteBuf p = new ByteBuf().u32(GgufMetadata.INT32).u64(v.length);
        for (int i : v) p.u32(i);
        return kvRaw(key, GgufMetadata.ARRAY, p.toArray());
    }

    TinyGguf kvStrings(String key, String... v) {
        ByteBuf p = new ByteBuf().u32(GgufMetadata.STRING).u64(v.length);
        for (String s : v) p.str(s);
        return kvRaw(key, GgufMetadata.ARRAY, p.toArray());
    }

    /** A tensor with its data, placed at the next aligned offset. */
    TinyGguf tensor(String name, int type, long[] ne, byte[] data) {
        long off = GgufFile.alignUp(nextOffset, alignment);
        tensors.add(new TensorInfo(name, ne.length, ne, type, off, data));
        nextOffset = off + data.length;
        return this;
    }

    /** A tensor info with an explicit offset and n_dims; no data is written for it. */
    TinyGguf tensorInfo(String name, int nDims, long[] ne, int type, long offset) {
        tensors.add(new TensorInfo(name, nDims, ne, type, offset, null));
        return this;
    }

    byte[] bytes() {
        ByteBuf f = new ByteBuf().u32(GgufFile.MAGIC).u32(version)
                .u64(tensorCount != null ? tensorCount : tensors.size()).u64(kvCount != null ? kvCount : nKv)
                .bytes(kv.toArray());
        for (TensorInfo t : tensors) {
            f.str(t.name()).u32(t.nDims());
            for (long n : t.ne()) f.u64(n);
            f.u32(t.type()).u64(t.offset());
        }
        long dataStart = GgufFile.alignUp(f.size(), alignment);
        while (f.size() < dataStart) f.u8(0);
        byte[] head = f.toArray();
        byte[] out = new byte[(int) (dataStart + nextOffset)];
        System.arraycopy(head, 0, out, 0, head.length);
        for (TensorInfo t : tensors) {
            if (t.data() != null) System.arraycopy(t.data(), 0, out, (int) (dataStart + t.offset()), t.data().length);
        }
        if (truncateTo >= 0) out = java.util.Arrays.copyOf(out, truncateTo);
        return out;
    }

    Path write(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes());
        return p;
    }
}
