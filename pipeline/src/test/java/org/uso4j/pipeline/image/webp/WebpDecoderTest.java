package org.uso4j.pipeline.image.webp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.uso4j.pipeline.image.ImageDecoder;
import org.uso4j.pipeline.image.ImageFileException;
import org.uso4j.pipeline.image.RgbImage;

/** Lossy WebP decoding against Pillow (libwebp) pixels, and refusal of malformed files. See FIXTURES.md. */
class WebpDecoderTest {
    private static final Path NAMED = Path.of("test.webp");

    private static Path resource(String name) {
        try {
            return Path.of(WebpDecoderTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(resource(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertSamePixels(RgbImage expected, RgbImage actual, String what) {
        assertEquals(expected.width(), actual.width(), what + " width");
        assertEquals(expected.height(), actual.height(), what + " height");
        assertArrayEquals(expected.rgb(), actual.rgb(), what + " pixels differ from Pillow's");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lossy_default_37x23", "lossy_simple_filter_53x29", "lossy_8_partitions_45x67",
            "lossy_4_partitions_q85_96x80", "lossy_nofilter_24x40", "lossy_noise_q100_21x19", "lossy_sharp7_q5_33x35",
            "lossy_1x1", "lossy_1x9", "lossy_alpha_31x17", "lossy_icc_exif_27x19"})
    void lossyFixturesMatchPillowExactly(String name) {
        ImageDecoder decoder = new ImageDecoder();
        RgbImage pillow = decoder.read(resource(name + ".pillow.png"));
        assertSamePixels(pillow, decoder.read(resource(name + ".webp")), name);
        assertSamePixels(pillow, WebpDecoder.decode(bytes(name + ".webp"), NAMED, Long.MAX_VALUE), name);
    }

    /** The official example WebPs (golden {@code preprocess} and, where present, the hidden inputs) against Pillow. */
    @Test
    void officialExamplesMatchPillowExactly() throws IOException {
        Path golden = Path.of(System.getProperty("uso4j.golden", "../shared/golden"));
        Assumptions.assumeTrue(Files.isDirectory(golden.resolve("preprocess")), "golden folder not present");
        List<Path> webps = new ArrayList<>();
        for (Path dir : List.of(golden.resolve("preprocess"), golden.resolve("_hidden_inputs/preprocess"))) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".webp")).sorted().forEach(webps::add);
            }
        }
        assertFalse(webps.isEmpty(), "no official WebP example found");
        ImageDecoder decoder = new ImageDecoder();
        for (Path webp : webps) {
            Path png = webp.resolveSibling(webp.getFileName().toString().replace(".webp", "_decoded.png"));
            if (Files.exists(png)) assertSamePixels(decoder.read(png), decoder.read(webp), webp.toString());
        }
    }

    /** Lossless WebP stays with TwelveMonkeys; an embedded (non-sRGB) ICC profile must not be applied, as in Pillow. */
    @Test
    void losslessWithIccProfileKeepsRawSamples() {
        ImageDecoder decoder = new ImageDecoder();
        assertSamePixels(decoder.read(resource("lossless_linear_icc_23x17.pillow.png")),
                decoder.read(resource("lossless_linear_icc_23x17.webp")), "lossless with a linear-RGB ICC profile");
    }

    @Test
    void animatedWebpIsRefused() {
        ImageFileException e = assertThrows(ImageFileException.class, () -> new ImageDecoder().read(resource("animated_4x4.webp")));
        assertTrue(e.getMessage().contains("animated") && e.getMessage().contains("animated_4x4.webp"), e.getMessage());
    }

    @Test
    void pixelLimitIsCheckedBeforeDecoding() {
        ImageFileException e = assertThrows(ImageFileException.class,
                () -> new ImageDecoder(100).read(resource("lossy_default_37x23.webp")));
        assertTrue(e.getMessage().contains("exceeds the limit of 100 pixels"), e.getMessage());
        byte[] bomb = simpleFile(vp8Frame(16383, 16383, 2000, new byte[2100]));
        e = assertThrows(ImageFileException.class, () -> WebpDecoder.decode(bomb, NAMED, ImageDecoder.PILLOW_MAX_IMAGE_PIXELS));
        assertTrue(e.getMessage().contains("decompression bomb"), e.getMessage());
    }

    /** A picture far larger than its first partition could describe is refused before allocating its planes. */
    @Test
    void tinyFileClaimingALargePictureIsRefused() {
        byte[] file = simpleFile(vp8Frame(8000, 8000, 20, new byte[40]));
        ImageFileException e = assertThrows(ImageFileException.class, () -> WebpDecoder.decode(file, NAMED, Long.MAX_VALUE));
        assertTrue(e.getMessage().contains("too small") && e.getMessage().startsWith(NAMED.toString()), e.getMessage());
    }

    @Test
    void malformedContainersFailNamingTheFile() {
        byte[] good = bytes("lossy_default_37x23.webp");
        List<byte[]> bad = new ArrayList<>();
        bad.add(Arrays.copyOf(good, 12));                                  // RIFF header only
        bad.add(Arrays.copyOf(good, 30));                                  // truncated
        byte[] fourcc = good.clone();
        fourcc[12] = 'X';                                                  // unknown first chunk
        bad.add(fourcc);
        byte[] riff = good.clone();
        riff[4] = 2;
        riff[5] = riff[6] = riff[7] = 0;                                   // RIFF size too small
        bad.add(riff);
        byte[] chunk = good.clone();
        chunk[16] = (byte) 0xFF;
        chunk[17] = (byte) 0xFF;                                           // VP8 chunk larger than the file
        bad.add(chunk);
        byte[] notKey = good.clone();
        notKey[20] |= 1;                                                   // inter frame
        bad.add(notKey);
        byte[] startCode = good.clone();
        startCode[23] = 0;                                                 // VP8 start code
        bad.add(startCode);
        for (byte[] b : bad) {
            ImageFileException e = assertThrows(ImageFileException.class, () -> WebpDecoder.decode(b, NAMED, Long.MAX_VALUE));
            assertTrue(e.getMessage().startsWith(NAMED + ": WEBP "), e.getMessage());
        }
    }

    /** Every truncation of the VP8 payload, with consistent RIFF and chunk sizes: refused, never out of bounds. */
    @Test
    void truncatedFramesFailCleanly() {
        for (String name : List.of("lossy_default_37x23", "lossy_8_partitions_45x67", "lossy_alpha_31x17")) {
            byte[] good = bytes(name + ".webp");
            WebpContainer c = WebpContainer.parse(good);
            byte[] frame = Arrays.copyOfRange(good, c.frameOffset(), c.frameOffset() + c.frameLength());
            for (int len = 0; len < frame.length; len++) {
                byte[] file = simpleFile(Arrays.copyOf(frame, len));
                try {
                    WebpDecoder.decode(file, NAMED, Long.MAX_VALUE);
                } catch (ImageFileException e) {
                    assertTrue(e.getMessage().startsWith(NAMED + ": WEBP "), e.getMessage());
                }
            }
            byte[] cut = simpleFile(Arrays.copyOf(frame, frame.length / 2));
            assertThrows(ImageFileException.class, () -> WebpDecoder.decode(cut, NAMED, Long.MAX_VALUE), name + " cut in half");
        }
    }

    /** Random byte corruption inside the frame: decodes to something or fails with ImageFileException. */
    @Test
    void corruptFramesNeverCrash() {
        Random random = new Random(2025);
        for (String name : List.of("lossy_default_37x23", "lossy_noise_q100_21x19", "lossy_4_partitions_q85_96x80")) {
            byte[] good = bytes(name + ".webp");
            WebpContainer c = WebpContainer.parse(good);
            for (int trial = 0; trial < 300; trial++) {
                byte[] b = good.clone();
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips; i++) b[c.frameOffset() + random.nextInt(c.frameLength())] = (byte) random.nextInt(256);
                try {
                    RgbImage img = WebpDecoder.decode(b, NAMED, 1 << 24);
                    assertEquals(img.width() * img.height() * 3, img.rgb().length);
                } catch (ImageFileException e) {
                    assertTrue(e.getMessage().startsWith(NAMED.toString()), e.getMessage());
                }
            }
        }
    }

    @Test
    void losslessFilesAreLeftToTheOtherDecoder() {
        assertFalse(WebpDecoder.isLossy(bytesOf(ImageDecoder.class.getResource("rgba_lossless_37x23.webp")), NAMED));
        assertTrue(WebpDecoder.isLossy(bytes("lossy_alpha_31x17.webp"), NAMED));
    }

    private static byte[] bytesOf(java.net.URL url) {
        try (java.io.InputStream in = url.openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A key-frame header (frame tag, start code, size) claiming {@code partition0} bytes, then {@code body}. */
    private static byte[] vp8Frame(int width, int height, int partition0, byte[] body) {
        byte[] f = new byte[10 + body.length];
        int tag = partition0 << 5 | 1 << 4; // key frame, profile 0, shown
        f[0] = (byte) tag;
        f[1] = (byte) (tag >> 8);
        f[2] = (byte) (tag >> 16);
        f[3] = (byte) 0x9d;
        f[4] = 0x01;
        f[5] = 0x2a;
        f[6] = (byte) width;
        f[7] = (byte) (width >> 8);
        f[8] = (byte) height;
        f[9] = (byte) (height >> 8);
        System.arraycopy(body, 0, f, 10, body.length);
        return f;
    }

    /** {@code RIFF WEBP} with one {@code VP8 } chunk holding {@code frame} (padded to even size). */
    private static byte[] simpleFile(byte[] frame) {
        int padded = frame.length + (frame.length & 1);
        byte[] f = new byte[20 + padded];
        System.arraycopy("RIFF".getBytes(), 0, f, 0, 4);
        le32(f, 4, 12 + padded);
        System.arraycopy("WEBPVP8 ".getBytes(), 0, f, 8, 8);
        le32(f, 16, frame.length);
        System.arraycopy(frame, 0, f, 20, frame.length);
        return f;
    }

    private static void le32(byte[] b, int o, int v) {
        for (int i = 0; i < 4; i++) b[o + i] = (byte) (v >> (8 * i));
    }
}
