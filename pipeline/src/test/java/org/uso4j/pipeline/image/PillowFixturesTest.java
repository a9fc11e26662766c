package org.uso4j.pipeline.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Small files written by Pillow 9.4.0, with {@code Image.open(f).convert("RGB")} bytes beside them
 * ({@code *.pillow.rgb}, HWC): an Adobe CMYK JPEG (stored inverted) and an RGBA lossless WebP.
 */
class PillowFixturesTest {
    private static Path resource(String name) throws URISyntaxException {
        return Path.of(PillowFixturesTest.class.getResource(name).toURI());
    }

    private static byte[] expected(String name) throws IOException {
        try (InputStream in = PillowFixturesTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void adobeCmykJpegMatchesPillow() throws Exception {
        assertArrayEquals(expected("cmyk_adobe_37x23.pillow.rgb"), new ImageDecoder().read(resource("cmyk_adobe_37x23.jpg")).rgb());
    }

    @Test
    void losslessWebpWithAlphaMatchesPillow() throws Exception {
        assertArrayEquals(expected("rgba_lossless_37x23.pillow.rgb"),
                new ImageDecoder().read(resource("rgba_lossless_37x23.webp")).rgb());
    }
}
