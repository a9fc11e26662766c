package org.uso4j.core.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/** Writes a torch.save-style zip by hand (STORED records, optional ZIP64 records) for reader tests. */
final class TorchZipBuilder {
    private record Entry(String name, byte[] data, int method) {}

    private final List<Entry> entries = new ArrayList<>();
    private boolean zip64;

    TorchZipBuilder add(String name, byte[] data) { return add(name, data, 0); }

    TorchZipBuilder add(String name, byte[] data, int method) {
        entries.add(new Entry(name, data, method));
        return this;
    }

    /** Writes ZIP64 extra fields (sizes and offsets saturated to 0xFFFFFFFF) and the ZIP64 end records. */
    TorchZipBuilder zip64() {
        zip64 = true;
        return this;
    }

    byte[] build() {
        Out out = new Out();
        List<Long> offsets = new ArrayList<>();
        for (Entry e : entries) {
            offsets.add((long) out.size());
            byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
            // Pad data to 64 bytes with an extra field like torch's "FB" field.
            int pad = (int) ((64 - (out.size() + 30 + name.length + 4) % 64) % 64);
            out.i32(0x04034b50).i16(20).i16(0x0808).i16(e.method).i16(0).i16(0).i32(0).i32(0).i32(0)
                    .i16(name.length).i16(4 + pad).bytes(name).i16(0x4246).i16(pad).bytes(new byte[pad]).bytes(e.data);
        }
        long cdStart = out.size();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
            CRC32 crc = new CRC32();
            crc.update(e.data);
            int extra = zip64 ? 4 + 24 : 0;
            out.i32(0x02014b50).i16(0x031e).i16(45).i16(0x0808).i16(e.method).i16(0).i16(0).i32((int) crc.getValue())
                    .i32(zip64 ? -1 : e.data.length).i32(zip64 ? -1 : e.data.length)
                    .i16(name.length).i16(extra).i16(0).i16(0).i16(0).i32(0).i32(zip64 ? -1 : (int) (long) offsets.get(i))
                    .bytes(name);
            if (zip64) out.i16(1).i16(24).i64(e.data.length).i64(e.data.length).i64(offsets.get(i));
        }
        long cdSize = out.size() - cdStart;
        if (zip64) {
            long eocd64 = out.size();
            out.i32(0x06064b50).i64(44).i16(0x031e).i16(45).i32(0).i32(0)
                    .i64(entries.size()).i64(entries.size()).i64(cdSize).i64(cdStart);
            out.i32(0x07064b50).i32(0).i64(eocd64).i32(1);
            out.i32(0x06054b50).i16(0).i16(0).i16(0xFFFF).i16(0xFFFF).i32(-1).i32(-1).i16(0);
        } else {
            out.i32(0x06054b50).i16(0).i16(0).i16(entries.size()).i16(entries.size()).i32((int) cdSize).i32((int) cdStart).i16(0);
        }
        return out.toByteArray();
    }

    private static final class Out extends ByteArrayOutputStream {
        private Out le(int n, long v) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
            write(b.array(), 0, n);
            return this;
        }
        Out i16(int v) { return le(2, v); }
        Out i32(int v) { return le(4, v); }
        Out i64(long v) { return le(8, v); }
        Out bytes(byte[] b) { write(b, 0, b.length); return this; }
    }
}
