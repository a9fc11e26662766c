package org.uso4j.pipeline.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderTest {
    @TempDir Path dir;

    private final ImageDecoder decoder = new ImageDecoder();

    private static RgbImage pattern(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < rgb.length; i++) rgb[i] = (byte) (i * 37 + (i / 7) * 11);
        return new RgbImage(w, h, rgb);
    }

    @Test
    void pngRoundTripKeepsPixelsAndText() throws IOException {
        RgbImage img = pattern(13, 7);
        Path out = dir.resolve("a.png");
        PngFile.write(out, img, Map.of("prompt", "a cat, ünïcode ✓", "seed", "42"));
        assertTrue(decoder.read(out).samePixels(img));
        Map<String, String> text = PngFile.readText(out);
        assertEquals("42", text.get("seed"));
        assertEquals("a cat, ünïcode ✓", text.get("prompt"));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file may be left behind");
        }
    }

    @Test
    void pngWriteFailsCleanlyOnBadKeywordAndKeepsTheOldFile() throws IOException {
        Path out = dir.resolve("b.png");
        PngFile.write(out, pattern(4, 4), Map.of());
        byte[] before = Files.readAllBytes(out);
        assertThrows(IllegalArgumentException.class, () -> PngFile.write(out, pattern(5, 5), Map.of("", "x")));
        assertThrows(IllegalArgumentException.class, () -> PngFile.write(out, pattern(5, 5), Map.of("bad\nkey", "x")));
        assertArrayEquals(before, Files.readAllBytes(out));
    }

    @Test
    void greyPaletteAndAlphaFollowPillowConvertRgb() throws IOException {
        BufferedImage grey = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setPixels(0, 0, 3, 2, new int[]{0, 10, 100, 128, 200, 255});
        Path g = dir.resolve("g.png");
        ImageIO.write(grey, "png", g.toFile());
        RgbImage gi = decoder.read(g);
        // grey replicated, no gamma conversion (getRGB would turn 100 into 171)
        assertEquals(100, gi.get(2, 0, 0));
        assertEquals(100, gi.get(2, 0, 2));
        assertEquals(128, gi.get(0, 1, 1));

        IndexColorModel palette = new IndexColorModel(8, 2, new byte[]{10, (byte) 250}, new byte[]{20, 0}, new byte[]{30, 5},
                new byte[]{0, (byte) 255});
        BufferedImage p = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        p.getRaster().setPixels(0, 0, 2, 1, new int[]{0, 1});
        Path pp = dir.resolve("p.png");
        ImageIO.write(p, "png", pp.toFile());
        RgbImage pi = decoder.read(pp);
        assertArrayEquals(new byte[]{10, 20, 30, (byte) 250, 0, 5}, pi.rgb(), "palette looked up, transparency dropped");

        BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x10_C8_64_32); // alpha 16
        Path a = dir.resolve("a.png");
        ImageIO.write(argb, "png", a.toFile());
        assertArrayEquals(new byte[]{(byte) 200, 100, 50}, decoder.read(a).rgb(), "alpha dropped, not composited");
    }

    @Test
    void sixteenBitPngs() throws IOException {
        // 16-bit grey is Pillow mode "I": convert("RGB") clips at 255
        Path g16 = dir.resolve("g16.png");
        Files.write(g16, png(2, 1, 16, 0, new byte[]{0, 0, (byte) 200, 1, 0}));
        assertArrayEquals(new byte[]{(byte) 200, (byte) 200, (byte) 200, (byte) 255, (byte) 255, (byte) 255}, decoder.read(g16).rgb());
        // 16-bit RGB keeps the high byte
        Path rgb16 = dir.resolve("rgb16.png");
        Files.write(rgb16, png(1, 1, 16, 2, new byte[]{0, 0x12, 0x34, (byte) 0xAB, (byte) 0xCD, 0x00, (byte) 0xFF}));
        assertArrayEquals(new byte[]{0x12, (byte) 0xAB, 0x00}, decoder.read(rgb16).rgb());
        // 16-bit grey + alpha keeps the high byte of the grey
        Path la16 = dir.resolve("la16.png");
        Files.write(la16, png(1, 1, 16, 4, new byte[]{0, 0x56, 0x78, 0x00, 0x01}));
        assertArrayEquals(new byte[]{0x56, 0x56, 0x56}, decoder.read(la16).rgb());
        // 2-bit grey scales to 0..255
        Path g2 = dir.resolve("g2.png");
        Files.write(g2, png(4, 1, 2, 0, new byte[]{0, (byte) 0b00011011}));
        assertArrayEquals(new byte[]{0, 0, 0, 85, 85, 85, (byte) 170, (byte) 170, (byte) 170, (byte) 255, (byte) 255, (byte) 255},
                decoder.read(g2).rgb());
    }

    @Test
    void jpegAndBmpDecode() throws IOException {
        BufferedImage bi = PngFile.toBufferedImage(pattern(20, 10));
        BufferedImage bgr = new BufferedImage(20, 10, BufferedImage.TYPE_3BYTE_BGR);
        bgr.getGraphics().drawImage(bi, 0, 0, null);
        Path bmp = dir.resolve("x.bmp");
        assertTrue(ImageIO.write(bgr, "bmp", bmp.toFile()));
        assertTrue(decoder.read(bmp).samePixels(pattern(20, 10)));
        Path jpg = dir.resolve("x.jpg");
        assertTrue(ImageIO.write(bgr, "jpeg", jpg.toFile()));
        RgbImage j = decoder.read(jpg);
        assertEquals(20, j.width());
        assertEquals(10, j.height());
    }

    @Test
    void badInputsFailNamingTheFile() throws IOException {
        Path missing = dir.resolve("missing.png");
        assertMessage(missing, "no such file");
        assertMessage(dir, "not a regular file");

        Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
        assertMessage(empty, "unsupported");

        Path text = Files.writeString(dir.resolve("notes.png"), "this is not an image at all, just text\n");
        assertMessage(text, "unsupported");

        byte[] garbage = new byte[64];
        new java.util.Random(1).nextBytes(garbage);
        System.arraycopy(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, garbage, 0, 8);
        assertMessage(Files.write(dir.resolve("corrupt.png"), garbage), "corrupt");

        Path good = dir.resolve("good.png");
        PngFile.write(good, pattern(64, 64), Map.of());
        byte[] whole = Files.readAllBytes(good);
        assertMessage(Files.write(dir.resolve("truncated.png"), Arrays.copyOf(whole, whole.length / 2)), "truncated.png");

        BufferedImage noisy = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
        noisy.getRaster().setDataElements(0, 0, 64, 64, pattern(64, 64).rgb());
        ByteArrayOutputStream jpg = new ByteArrayOutputStream();
        ImageIO.write(noisy, "jpeg", jpg);
        byte[] jpeg = jpg.toByteArray();
        assertMessage(Files.write(dir.resolve("truncated.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2)), "truncated.jpg");

        // a 100000 x 100000 header with almost no data: refused from the header, before decoding
        Path bomb = Files.write(dir.resolve("bomb.png"), png(100_000, 100_000, 8, 2, new byte[]{0}));
        ImageFileException e = assertThrows(ImageFileException.class, () -> decoder.read(bomb));
        assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());
        assertTrue(e.getMessage().contains("bomb.png"), e.getMessage());
        assertThrows(ImageFileException.class, () -> new ImageDecoder(100).read(good), "custom pixel limit");

        Path zero = Files.write(dir.resolve("zero.png"), png(0, 5, 8, 2, new byte[]{0}));
        assertMessage(zero, "zero.png");
    }

    private void assertMessage(Path file, String part) {
        ImageFileException e = assertThrows(ImageFileException.class, () -> decoder.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    /** A minimal PNG: IHDR(width, height, depth, colour type), one IDAT of {@code raw} (filter bytes included), IEND. */
    static byte[] png(int w, int h, int depth, int colorType, byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) depth).put((byte) colorType)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        Deflater d = new Deflater();
        d.setInput(raw);
        d.finish();
        byte[] buf = new byte[raw.length + 64];
        int n = d.deflate(buf);
        chunk(out, "IDAT", Arrays.copyOf(buf, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
