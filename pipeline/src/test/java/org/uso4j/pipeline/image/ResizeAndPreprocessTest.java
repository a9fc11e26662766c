package org.uso4j.pipeline.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.uso4j.core.Tensor;

class ResizeAndPreprocessTest {
    private static RgbImage constant(int w, int h, int r, int g, int b) {
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            rgb[3 * i] = (byte) r;
            rgb[3 * i + 1] = (byte) g;
            rgb[3 * i + 2] = (byte) b;
        }
        return new RgbImage(w, h, rgb);
    }

    @Test
    void constantImagesStayConstantForEveryFilterAndAwkwardSize() {
        int[][] sizes = {{1, 1}, {1, 7}, {7, 1}, {3, 5}, {17, 9}, {64, 3}};
        for (ResampleFilter f : ResampleFilter.values()) {
            for (int[] from : sizes) {
                for (int[] to : sizes) {
                    RgbImage out = PillowResize.resize(constant(from[0], from[1], 0, 255, 77), to[0], to[1], f);
                    assertTrue(out.samePixels(constant(to[0], to[1], 0, 255, 77)), f + " " + from[0] + "x" + from[1] + " -> " + to[0] + "x" + to[1]);
                }
            }
        }
    }

    @Test
    void sameSizeIsACopyAndBadSizesAreRefused() {
        RgbImage img = constant(4, 3, 1, 2, 3);
        RgbImage same = PillowResize.resize(img, 4, 3, ResampleFilter.LANCZOS);
        assertTrue(same.samePixels(img));
        assertThrows(IllegalArgumentException.class, () -> PillowResize.resize(img, 0, 3, ResampleFilter.BICUBIC));
        assertThrows(IllegalArgumentException.class, () -> ResampleFilter.fromPillowCode(0));
        assertEquals(ResampleFilter.BICUBIC, ResampleFilter.fromPillowCode(3));
        assertEquals(ResampleFilter.LANCZOS, ResampleFilter.fromPillowCode(1));
    }

    @Test
    void preprocessRefSizesFollowTheOfficialTruncation() {
        // README gotchas 14 and 24
        assertArrayEquals(new int[]{512, 511}, ReferencePreprocess.resizedSize(187, 187, 512));
        assertArrayEquals(new int[]{512, 383}, ReferencePreprocess.resizedSize(196, 147, 512));
        assertArrayEquals(new int[]{42, 64}, ReferencePreprocess.resizedSize(736, 1104, 64));
        RgbImage out = ReferencePreprocess.preprocessRef(constant(187, 187, 9, 9, 9));
        assertEquals(512, out.width());
        assertEquals(496, out.height());
        RgbImage small = ReferencePreprocess.preprocessRef(constant(736, 1104, 9, 9, 9), 64);
        assertEquals(32, small.width());
        assertEquals(64, small.height());
        RgbImage sixteen = constant(16, 16, 1, 2, 3);
        assertSame(sixteen, ReferencePreprocess.preprocessRef(sixteen), "a 16x16 image is returned unchanged");
        assertThrows(IllegalArgumentException.class, () -> ReferencePreprocess.preprocessRef(constant(2000, 10, 0, 0, 0)));
        assertThrows(IllegalArgumentException.class, () -> ReferencePreprocess.preprocessRef(constant(20, 20, 0, 0, 0), 8));
    }

    @Test
    void aeInputAndSiglipValues() {
        Tensor ae = ReferencePreprocess.aeInput(constant(2, 1, 0, 255, 128));
        assertArrayEquals(new int[]{1, 3, 1, 2}, ae.dims());
        assertEquals(-1f, ae.floats()[0]);
        assertEquals(1f, ae.floats()[2]);
        assertEquals((float) 128 / 255f * 2f - 1f, ae.floats()[4]);
        SiglipImageProcessor p = new SiglipImageProcessor(SiglipProcessorConfig.so400m384());
        Tensor pv = p.pixelValues(constant(10, 20, 0, 255, 51));
        assertArrayEquals(new int[]{1, 3, 384, 384}, pv.dims());
        assertEquals(-1f, pv.floats()[0]);
        assertEquals(1f, pv.floats()[384 * 384]);
        assertEquals(((float) (51 * (1 / 255.0)) - 0.5f) / 0.5f, pv.floats()[2 * 384 * 384]);
    }

    @Test
    void siglipConfigFromJson() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"size\": {\"height\": 28, \"width\": 30}, \"resample\": 2, \"image_mean\": [0.1, 0.2, 0.3]}");
        SiglipProcessorConfig c = SiglipProcessorConfig.fromJson(json, "test");
        assertEquals(28, c.height());
        assertEquals(30, c.width());
        assertEquals(ResampleFilter.BILINEAR, c.resample());
        assertEquals(0.2f, c.imageMean()[1]);
        assertEquals(0.5f, c.imageStd()[2]);
        assertThrows(IllegalArgumentException.class, () -> SiglipProcessorConfig.fromJson(
                new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"size\": {\"height\": 0, \"width\": 3}}"), "bad"));
        assertThrows(IllegalArgumentException.class, () -> SiglipProcessorConfig.fromJson(
                new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"resample\": 0}"), "nearest"));
    }
}
