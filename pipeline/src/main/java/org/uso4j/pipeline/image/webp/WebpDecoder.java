package org.uso4j.pipeline.image.webp;

import java.nio.file.Path;
import org.uso4j.pipeline.image.ImageFileException;
import org.uso4j.pipeline.image.RgbImage;

/**
 * Lossy WebP (VP8) decoding bit-exact with libwebp, i.e. with what Pillow's {@code Image.open(p).convert("RGB")}
 * returns: RIFF container ({@link WebpContainer}), VP8 key frame ({@link Vp8Decoder}) and libwebp's fancy-upsampled
 * YUV to RGB ({@link YuvToRgb}). An {@code ALPH} chunk is ignored (alpha dropped, as {@code convert("RGB")} does:
 * libwebp's RGBA output leaves the colour samples untouched). Lossless ({@code VP8L}) images are not handled here.
 */
public final class WebpDecoder {
    private WebpDecoder() {}

    /** Whether {@code head} (the first 12 or more bytes of a file) is a RIFF WebP header. */
    public static boolean isWebp(byte[] head) { return WebpContainer.isRiffWebp(head); }

    /**
     * Whether the WebP file {@code data} (read from {@code file}) holds a lossy image; a malformed container or an
     * animation fails with {@link ImageFileException} naming the file.
     */
    public static boolean isLossy(byte[] data, Path file) {
        try {
            return !WebpContainer.parse(data).lossless();
        } catch (WebpFormatException e) {
            throw new ImageFileException(file, "WEBP " + e.getMessage());
        }
    }

    /**
     * Decodes the lossy WebP file {@code data} (read from {@code file}) to RGB, refusing pictures of more than
     * {@code maxPixels} pixels before decoding them. Malformed data fails with {@link ImageFileException}.
     */
    public static RgbImage decode(byte[] data, Path file, long maxPixels) {
        try {
            WebpContainer c = WebpContainer.parse(data);
            if (c.lossless()) throw new WebpFormatException("lossless (VP8L) image: not decoded by the VP8 decoder");
            Vp8FrameHeader header = new Vp8FrameHeader(data, c.frameOffset(), c.frameLength());
            if (c.canvasWidth() != 0 && (c.canvasWidth() != header.width || c.canvasHeight() != header.height)) {
                throw new WebpFormatException("VP8X canvas " + c.canvasWidth() + "x" + c.canvasHeight()
                        + " differs from the VP8 frame " + header.width + "x" + header.height);
            }
            long pixels = (long) header.width * header.height;
            if (pixels > maxPixels) {
                throw new ImageFileException(file, "WEBP image of " + header.width + "x" + header.height + " = " + pixels
                        + " pixels exceeds the limit of " + maxPixels + " pixels (possible decompression bomb)");
            }
            Vp8Decoder.Picture p = Vp8Decoder.decode(header);
            byte[] rgb = YuvToRgb.convert(p.y(), p.yStride(), p.u(), p.v(), p.uvStride(), p.width(), p.height());
            return new RgbImage(p.width(), p.height(), rgb);
        } catch (WebpFormatException e) {
            throw new ImageFileException(file, "WEBP " + e.getMessage());
        }
    }
}
