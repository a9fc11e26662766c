package org.uso4j.pipeline.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;
import javax.imageio.stream.ImageInputStream;

/**
 * The chunk structure of a PNG, checked before it is decoded: every chunk's length within the file and its CRC-32
 * right (the JDK's reader ignores CRCs; Pillow refuses a file whose CRC is wrong, and so do we), up to IEND.
 */
final class PngChunks {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

    private PngChunks() {}

    /** Reads {@code in} from its start through IEND, then seeks back to the start; throws naming the bad chunk. */
    static void verify(ImageInputStream in, Path file) throws IOException {
        in.seek(0);
        byte[] sig = new byte[SIGNATURE.length];
        in.readFully(sig);
        if (!java.util.Arrays.equals(sig, SIGNATURE)) throw new ImageFileException(file, "not a PNG signature");
        byte[] buf = new byte[1 << 16];
        CRC32 crc = new CRC32();
        for (int index = 0; ; index++) {
            long at = in.getStreamPosition();
            long length = in.readUnsignedInt();
            byte[] type = new byte[4];
            in.readFully(type);
            String name = new String(type, StandardCharsets.ISO_8859_1);
            if (length > Integer.MAX_VALUE) throw new ImageFileException(file, "PNG chunk " + index + " (" + name + ") at byte " + at + " declares " + length + " bytes");
            crc.reset();
            crc.update(type);
            for (long left = length; left > 0; ) {
                int n = (int) Math.min(buf.length, left);
                in.readFully(buf, 0, n);
                crc.update(buf, 0, n);
                left -= n;
            }
            long stored = in.readUnsignedInt();
            if (stored != crc.getValue()) {
                throw new ImageFileException(file, String.format("PNG chunk %d (%s) at byte %d has a bad CRC (stored %08x, computed %08x): the file is corrupt",
                        index, name, at, stored, crc.getValue()));
            }
            if (name.equals("IEND")) break;
        }
        in.seek(0);
    }
}
