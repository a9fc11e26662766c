package org.uso4j.pipeline.image;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzz targets for the image decoders that read uploads and batch files: whatever the bytes, the
 * decoder returns an image within the pixel limit or refuses with an {@link ImageFileException}; any other
 * exception, a hang or an out-of-memory is a finding. One target per format, each seeded with real files of it
 * ({@code src/test/resources/org/uso4j/pipeline/image/ImageDecoderFuzzTestInputs/<target>}).
 */
class ImageDecoderFuzzTest {
    /** A small limit keeps each execution fast; the limit itself is checked from the header. */
    private static final ImageDecoder DECODER = new ImageDecoder(1 << 16);

    static void decode(byte[] data) {
        try {
            RgbImage img = DECODER.read(data, "fuzz");
            if ((long) img.width() * img.height() > 1 << 16 || img.rgb().length != img.width() * img.height() * 3) {
                throw new AssertionError("decoded " + img.width() + "x" + img.height() + " with " + img.rgb().length + " bytes");
            }
        } catch (ImageFileException refused) {
            // the expected answer to a malformed file
        }
    }

    @FuzzTest(maxDuration = "30s")
    void png(byte[] data) { decode(data); }

    @FuzzTest(maxDuration = "30s")
    void jpeg(byte[] data) { decode(data); }

    @FuzzTest(maxDuration = "30s")
    void webp(byte[] data) { decode(data); }
}
