package org.uso4j.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.uso4j.core.Tensor;

/** {@code (127.5·(clamp(x, -1, 1) + 1)).byte()} on the last image of the batch, CHW → HWC (README gotcha 13). */
class DecodedImageTest {
    @Test void clampsTruncatesAndTransposesTheLastImage() {
        // batch of 2, 3 channels, 1×2 pixels; image 0 is ignored
        float[] x = {
                9, 9, 9, 9, 9, 9,
                -2f, 0f,       // R
                1f, 0.999f,    // G
                2f, -0.5f};    // B
        DecodedImage img = DecodedImage.of(Tensor.wrap(x, 2, 3, 1, 2));
        assertEquals(1, img.height());
        assertEquals(2, img.width());
        // pixel 0: R 0 (clamped), G 255, B 255 (clamped); pixel 1: R 127 (127.5 truncated), G 254 (254.87), B 63 (63.75)
        assertArrayEquals(new byte[]{0, (byte) 255, (byte) 255, 127, (byte) 254, 63}, img.rgb());
        assertArrayEquals(new int[]{1, 2, 3}, img.toTensor().dims());
        assertEquals(254, img.toTensor().getLong(4));
    }

    @Test void rejectsNonImages() {
        assertThrows(IllegalArgumentException.class, () -> DecodedImage.of(Tensor.zeros(1, 4, 2, 2)));
    }
}
