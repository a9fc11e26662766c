package org.uso4j.core.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The records of a zip archive read from its central directory, as slices of one memory-mapped segment.
 * Only what {@code torch.save} writes is accepted: STORED (uncompressed), unencrypted records, one disk, with
 * ZIP64 end records and extra fields for archives and records beyond 4 GiB (PKWARE APPNOTE 4.3.12-4.3.16,
 * 4.5.3). Sizes come from the central directory (torch sets flag bit 3, so local headers carry zeros); the
 * local header is read only to find where the data starts and to check the name. Data is never copied:
 * {@link #record} returns a view of the mapping, bounds-checked against the file.
 */
final class ZipIndex {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final int SIG_LOCAL = 0x04034b50, SIG_CENTRAL = 0x02014b50, SIG_EOCD = 0x06054b50;
    private static final int SIG_EOCD64 = 0x06064b50, SIG_LOCATOR64 = 0x07064b50;
    private static final int EOCD_SIZE = 22, LOCATOR64_SIZE = 20, EOCD64_SIZE = 56, CENTRAL_SIZE = 46, LOCAL_SIZE = 30;
    private static final int ZIP64_EXTRA_ID = 0x0001;
    private static final long U32_MAX = 0xFFFFFFFFL;
    /** More records than this is not a checkpoint (a T5-XXL state dict has a few hundred). */
    static final int MAX_RECORDS = 1 << 20;

    private final String source;
    private final Map<String, MemorySegment> records;
    private final Map<String, Integer> crcs;

    private ZipIndex(String source, Map<String, MemorySegment> records, Map<String, Integer> crcs) {
        this.source = source;
        this.records = records;
        this.crcs = crcs;
    }

    /** Reads the central directory of {@code file}; {@code source} names the file in messages. */
    static ZipIndex read(String source, MemorySegment file) {
        long size = file.byteSize();
        if (size < EOCD_SIZE) throw bad(source, "file is " + size + " bytes, too short for a zip archive");
        long eocd = findEndRecord(source, file);
        int disk = u16(file, eocd + 4), cdDisk = u16(file, eocd + 6);
        long count = u16(file, eocd + 10), cdSize = u32(file, eocd + 12), cdOffset = u32(file, eocd + 16);
        long locator = eocd - LOCATOR64_SIZE;
        if (locator >= 0 && u32(file, locator) == SIG_LOCATOR64) {
            // ZIP64: the locator points at the ZIP64 end record, whose 64-bit fields replace the 0xFFFF.. ones.
            long eocd64 = u64(file, locator + 8);
            if (u32(file, locator + 16) > 1) throw bad(source, "multi-disk archives are not supported");
            if (eocd64 < 0 || eocd64 > locator - EOCD64_SIZE || u32(file, eocd64) != SIG_EOCD64) {
                throw bad(source, "ZIP64 end-of-central-directory record not found at offset " + eocd64);
            }
            disk = (int) u32(file, eocd64 + 16);
            cdDisk = (int) u32(file, eocd64 + 20);
            count = u64(file, eocd64 + 32);
            cdSize = u64(file, eocd64 + 40);
            cdOffset = u64(file, eocd64 + 48);
        } else if (count == 0xFFFF || cdSize == U32_MAX || cdOffset == U32_MAX) {
            throw bad(source, "end record says ZIP64 but there is no ZIP64 locator");
        }
        if (disk != 0 || cdDisk != 0) throw bad(source, "multi-disk archives are not supported");
        if (cdOffset < 0 || cdSize < 0 || cdOffset > size || cdSize > size - cdOffset) {
            throw bad(source, "central directory [" + cdOffset + ", +" + cdSize + ") lies outside the file (" + size
                    + " bytes): truncated?");
        }
        if (count < 0 || count > MAX_RECORDS || count > cdSize / CENTRAL_SIZE) {
            throw bad(source, "implausible record count " + count + " for a " + cdSize + "-byte central directory");
        }
        Map<String, MemorySegment> records = new LinkedHashMap<>();
        Map<String, Integer> crcs = new LinkedHashMap<>();
        long p = cdOffset, end = cdOffset + cdSize;
        for (long i = 0; i < count; i++) {
            if (end - p < CENTRAL_SIZE || u32(file, p) != SIG_CENTRAL) {
                throw bad(source, "central directory entry " + i + " at offset " + p + " is malformed");
            }
            int flags = u16(file, p + 8), method = u16(file, p + 10);
            int crc = (int) u32(file, p + 16);
            long csize = u32(file, p + 20), usize = u32(file, p + 24);
            int nameLen = u16(file, p + 28), extraLen = u16(file, p + 30), commentLen = u16(file, p + 32);
            long entryDisk = u16(file, p + 34), local = u32(file, p + 42);
            long entryLen = (long) CENTRAL_SIZE + nameLen + extraLen + commentLen;
            if (entryLen > end - p) throw bad(source, "central directory entry " + i + " runs past the directory");
            String name = new String(file.asSlice(p + CENTRAL_SIZE, nameLen).toArray(ValueLayout.JAVA_BYTE),
                    (flags & 0x800) != 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            // ZIP64 extended information: only the fields whose 32/16-bit value is saturated, in this order.
            long[] zip64 = {usize, csize, local, entryDisk};
            boolean[] wanted = {usize == U32_MAX, csize == U32_MAX, local == U32_MAX, entryDisk == 0xFFFF};
            readZip64Extra(source, name, file, p + CENTRAL_SIZE + nameLen, extraLen, zip64, wanted);
            usize = zip64[0];
            csize = zip64[1];
            local = zip64[2];
            if (zip64[3] != 0) throw bad(source, "record '" + name + "' is on another disk");
            if ((flags & 1) != 0) throw bad(source, "record '" + name + "' is encrypted");
            if (records.containsKey(name)) throw bad(source, "record '" + name + "' appears twice");
            if (method != 0) {
                throw bad(source, "record '" + name + "' is compressed (method " + method
                        + "); torch.save stores records uncompressed — was the archive re-zipped?");
            }
            if (csize != usize) throw bad(source, "stored record '" + name + "' has sizes " + csize + " != " + usize);
            records.put(name, localData(source, file, name, local, usize));
            crcs.put(name, crc);
            p += entryLen;
        }
        return new ZipIndex(source, Collections.unmodifiableMap(records), crcs);
    }

    /** The last end-of-central-directory record whose comment length reaches exactly to the end of the file. */
    private static long findEndRecord(String source, MemorySegment file) {
        long size = file.byteSize();
        long stop = Math.max(0, size - EOCD_SIZE - 0xFFFF);
        for (long p = size - EOCD_SIZE; p >= stop; p--) {
            if (u32(file, p) == SIG_EOCD && p + EOCD_SIZE + u16(file, p + 20) == size) return p;
        }
        throw bad(source, "no end-of-central-directory record (not a zip archive, or truncated)");
    }

    private static void readZip64Extra(String source, String name, MemorySegment file, long at, int len,
                                       long[] values, boolean[] wanted) {
        long p = at, end = at + len;
        boolean found = false;
        while (end - p >= 4) {
            int id = u16(file, p), n = u16(file, p + 2);
            if (n > end - p - 4) throw bad(source, "record '" + name + "' has a malformed extra field");
            if (id == ZIP64_EXTRA_ID) {
                long q = p + 4, qe = q + n;
                for (int k = 0; k < values.length; k++) {
                    if (!wanted[k]) continue;
                    int w = k == 3 ? 4 : 8;
                    if (qe - q < w) throw bad(source, "record '" + name + "' has a short ZIP64 extra field");
                    values[k] = w == 8 ? u64(file, q) : u32(file, q);
                    q += w;
                }
                found = true;
            }
            p += 4 + n;
        }
        for (int k = 0; k < values.length; k++) {
            if (wanted[k] && !found) throw bad(source, "record '" + name + "' needs a ZIP64 extra field but has none");
            if (values[k] < 0) throw bad(source, "record '" + name + "' has a size or offset beyond 2^63");
        }
    }

    /** The data of the record whose local header is at {@code local}: checks the header and the bounds. */
    private static MemorySegment localData(String source, MemorySegment file, String name, long local, long size) {
        long fileSize = file.byteSize();
        if (local < 0 || local > fileSize - LOCAL_SIZE || u32(file, local) != SIG_LOCAL) {
            throw bad(source, "record '" + name + "' has no local header at offset " + local + ": truncated or corrupt");
        }
        int nameLen = u16(file, local + 26), extraLen = u16(file, local + 28);
        long data = local + LOCAL_SIZE + nameLen + extraLen;
        if (data > fileSize) throw bad(source, "record '" + name + "' local header runs past the end of the file");
        byte[] localName = file.asSlice(local + LOCAL_SIZE, nameLen).toArray(ValueLayout.JAVA_BYTE);
        byte[] centralName = name.getBytes(StandardCharsets.UTF_8);
        if (!java.util.Arrays.equals(localName, centralName)
                && !java.util.Arrays.equals(localName, name.getBytes(StandardCharsets.ISO_8859_1))) {
            throw bad(source, "record '" + name + "' local header names '"
                    + new String(localName, StandardCharsets.UTF_8) + "'");
        }
        if (size > fileSize - data) {
            throw bad(source, "record '" + name + "' (" + size + " bytes at offset " + data + ") runs past the end of the file ("
                    + fileSize + " bytes): truncated?");
        }
        return file.asSlice(data, size);
    }

    /** Record names in central-directory order. */
    Map<String, MemorySegment> records() { return records; }

    boolean contains(String name) { return records.containsKey(name); }

    /** The record's bytes as a view of the mapping; fails naming the record if absent. */
    MemorySegment record(String name) {
        MemorySegment s = records.get(name);
        if (s == null) throw bad(source, "missing record '" + name + "'");
        return s;
    }

    /** A small record copied out after its CRC-32 is checked (for pickles and version strings, not tensor data). */
    byte[] readChecked(String name, long maxBytes) {
        MemorySegment s = record(name);
        if (s.byteSize() > maxBytes) throw bad(source, "record '" + name + "' is " + s.byteSize() + " bytes (max " + maxBytes + ")");
        byte[] b = s.toArray(ValueLayout.JAVA_BYTE);
        CRC32 crc = new CRC32();
        crc.update(b);
        if ((int) crc.getValue() != crcs.get(name)) throw bad(source, "record '" + name + "' fails its CRC-32 check");
        return b;
    }

    private static CheckpointException bad(String source, String what) {
        return new CheckpointException(source + ": not a valid PyTorch zip archive: " + what);
    }

    private static int u16(MemorySegment s, long at) { return Short.toUnsignedInt(s.get(U16, at)); }

    private static long u32(MemorySegment s, long at) { return Integer.toUnsignedLong(s.get(U32, at)); }

    private static long u64(MemorySegment s, long at) { return s.get(U64, at); }
}
