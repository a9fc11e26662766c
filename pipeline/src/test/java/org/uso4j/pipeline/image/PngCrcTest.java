package org.uso4j.pipeline.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A PNG with a wrong CRC is refused (as Pillow refuses it); a FIFO is not reported as a missing file. */
class PngCrcTest {
    static byte[] png() throws Exception {
        BufferedImage img = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 5; y++) for (int x = 0; x < 7; x++) img.setRGB(x, y, x * 30 << 16 | y * 40);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test void aBadCrcInAnyChunkIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        byte[] good = png();
        ImageDecoder d = new ImageDecoder();
        assertEquals(7, d.read(good, "good.png").width());
        byte[] badIhdr = good.clone();
        badIhdr[29] ^= 0x01; // IHDR's CRC: 8 signature + 4 length + 4 type + 13 data
        ImageFileException e = assertThrows(ImageFileException.class, () -> d.read(badIhdr, "upload"));
        assertTrue(e.getMessage().contains("chunk 0 (IHDR)") && e.getMessage().contains("bad CRC"), e.getMessage());
        byte[] badIdat = good.clone();
        badIdat[badIdat.length - 12 - 1] ^= 0x40; // last byte of the chunk before IEND: its CRC
        Path f = Files.write(dir.resolve("bad.png"), badIdat);
        ImageFileException fromFile = assertThrows(ImageFileException.class, () -> d.read(f));
        assertTrue(fromFile.getMessage().contains("bad CRC"), fromFile.getMessage());
    }

    @Test void aFifoIsNotAMissingFile(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("pipe.png");
        Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo unavailable");
        ImageFileException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(ImageFileException.class, () -> new ImageDecoder().read(fifo)));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        ImageFileException missing = assertThrows(ImageFileException.class, () -> new ImageDecoder().read(dir.resolve("none.png")));
        assertTrue(missing.getMessage().endsWith("none.png: no such file"), missing.getMessage());
    }
}
