package org.uso4j.pipeline.eval;

import java.util.List;
import org.uso4j.core.Tensor;
import org.uso4j.pipeline.image.PillowResize;
import org.uso4j.pipeline.image.ResampleFilter;
import org.uso4j.pipeline.image.RgbImage;

/**
 * A torchvision 0.14 transform on a PIL image as the metric scripts build it:
 * {@code Resize(resize, filter)} (shorter side; Pillow's resampling, untouched when the size does not change) →
 * {@code CenterCrop(crop)} (offsets rounded half to even, as Python's {@code round}) → {@code ToTensor()} →
 * {@code Normalize(mean, std)} in float32, {@code (u8 / 255f - mean) / std}.
 *
 * @param mean per channel (RGB), as the float32 values torchvision uses
 * @param std  per channel (RGB)
 */
public record MetricTransform(int resize, int crop, ResampleFilter filter, List<Float> mean, List<Float> std) {
    public MetricTransform {
        if (resize <= 0 || crop <= 0 || crop > resize) throw new IllegalArgumentException("need 0 < crop <= resize, got resize " + resize + ", crop " + crop);
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        if (mean.size() != 3 || std.size() != 3) throw new IllegalArgumentException("mean and std need 3 channels");
    }

    /** CLIP-I, CLIP-T and CSD (UNO's CLIP transform; CSD's transforms_branch0): Resize(224, BICUBIC), CenterCrop(224), OpenAI CLIP statistics. */
    public static MetricTransform clip() {
        return new MetricTransform(224, 224, ResampleFilter.BICUBIC, List.of(0.48145466f, 0.4578275f, 0.40821073f),
                List.of(0.26862954f, 0.26130258f, 0.27577711f));
    }

    /** DINO (UNO's DINO transform): Resize(256, BICUBIC), CenterCrop(224), ImageNet statistics. */
    public static MetricTransform dino() {
        return new MetricTransform(256, 224, ResampleFilter.BICUBIC, List.of(0.485f, 0.456f, 0.406f), List.of(0.229f, 0.224f, 0.225f));
    }

    /** Resize + CenterCrop: the uint8 crop [crop x crop]. */
    public RgbImage resizeAndCrop(RgbImage image) {
        int w = image.width(), h = image.height();
        // torchvision _compute_resized_output_size: the shorter side becomes `resize`, the longer int(resize * long / short)
        int newW, newH;
        if (w <= h) {
            newW = resize;
            newH = (int) (resize * (double) h / w);
        } else {
            newH = resize;
            newW = (int) (resize * (double) w / h);
        }
        RgbImage resized = newW == w && newH == h ? image : PillowResize.resize(image, newW, newH, filter);
        if (resized.width() < crop || resized.height() < crop) {
            throw new IllegalArgumentException("image " + w + "x" + h + " resized to " + newW + "x" + newH + " is smaller than the " + crop + " crop");
        }
        int top = (int) Math.rint((resized.height() - crop) / 2.0), left = (int) Math.rint((resized.width() - crop) / 2.0);
        return resized.crop(left, top, crop, crop);
    }

    /** ToTensor + Normalize of an RGB image: [3, H, W] float32. */
    public Tensor normalize(RgbImage image) {
        int w = image.width(), h = image.height();
        byte[] rgb = image.rgb();
        float[] out = new float[3 * w * h];
        for (int c = 0; c < 3; c++) {
            float m = mean.get(c), s = std.get(c);
            for (int i = 0; i < w * h; i++) out[c * w * h + i] = ((rgb[i * 3 + c] & 0xFF) / 255f - m) / s;
        }
        return Tensor.wrap(out, 3, h, w);
    }

    /** The whole transform: [3, crop, crop]. */
    public Tensor apply(RgbImage image) { return normalize(resizeAndCrop(image)); }
}
