package org.uso4j.pipeline.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.uso4j.pipeline.image.webp.WebpDecoder;
import org.w3c.dom.Node;

/**
 * Reads PNG, JPEG, BMP, WebP (and whatever other ImageIO plugins are present) into an {@link RgbImage}, the way
 * the official code's {@code Image.open(p).convert("RGB")} sees the file. Validated at the edge: dimensions are
 * read from the header and checked against a pixel limit before anything is decoded (decompression bombs),
 * unreadable, truncated or unsupported files fail with the file named.
 *
 * <p>Pillow's {@code convert("RGB")} rules, applied to the decoded samples (never through {@code getRGB}, which
 * would colour-manage grey values): grey is replicated; palette entries are looked up; alpha is dropped, not
 * composited; 16-bit RGB(A) and grey+alpha keep the high byte; 16-bit grey without alpha is Pillow mode "I",
 * which {@code convert("RGB")} clips to 255; 1/2/4-bit grey scales to 0..255; CMYK JPEGs are read as raw CMYK
 * (inverted first when an Adobe APP14 marker says so, Pillow's rawmode "CMYK;I") and converted with Pillow's
 * {@code cmyk2rgb}: {@code nk - c*nk/255} with {@code nk = 255 - k} (rounded like MULDIV255).
 *
 * <p>Decoders: the JDK's for PNG/JPEG/BMP/GIF (JPEG pixels equal Pillow's libjpeg-turbo output on the golden
 * example), our own {@link WebpDecoder} for lossy WebP (VP8, bit-exact with libwebp including its fancy chroma
 * upsampling; TwelveMonkeys' VP8 decoder differs by up to ~33 levels), TwelveMonkeys for lossless WebP (exact) and
 * CMYK/YCCK JPEG.
 */
public final class ImageDecoder {
    /** Pillow's {@code Image.MAX_IMAGE_PIXELS} (1024*1024*1024 // 4 // 3): beyond it Pillow warns of a decompression bomb. */
    public static final long PILLOW_MAX_IMAGE_PIXELS = 89_478_485L;
    private static final String JPEG_METADATA = "javax_imageio_jpeg_image_1.0";
    /** A RIFF file holds at most 4 GiB; a Java array a little under 2 GiB. */
    private static final long MAX_WEBP_FILE_BYTES = Integer.MAX_VALUE - 16;

    private final long maxPixels;

    /** A decoder refusing images larger than {@code maxPixels} pixels. */
    public ImageDecoder(long maxPixels) {
        if (maxPixels < 1) throw new IllegalArgumentException("maxPixels must be >= 1, got " + maxPixels);
        this.maxPixels = maxPixels;
    }

    /** A decoder with Pillow's default limit ({@link #PILLOW_MAX_IMAGE_PIXELS}). */
    public ImageDecoder() { this(PILLOW_MAX_IMAGE_PIXELS); }

    /** Reads {@code file} (first frame of animated formats; animated WebP is refused) as 8-bit RGB. */
    public RgbImage read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ImageFileException(file, Files.exists(file) ? "not a regular file (a folder, FIFO, device or socket): give an image file"
                    : "no such file");
        }
        RgbImage lossyWebp = readLossyWebp(file);
        if (lossyWebp != null) return lossyWebp;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) throw new ImageFileException(file, "cannot open");
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageFileException(file, "unsupported or unrecognised image format (supported: PNG, JPEG, BMP, WebP, GIF)");
            }
            ImageReader reader = readers.next();
            try {
                if (isPng(reader)) PngChunks.verify(in, file);
                reader.setInput(in, true, true);
                return decode(reader, file);
            } finally {
                reader.dispose();
            }
        } catch (ImageFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageFileException(file, "corrupt or unreadable image (" + describe(e) + ")", e);
        }
    }

    /** A lossy WebP decoded like libwebp, or null when {@code file} is not a RIFF WebP with a VP8 image. */
    private RgbImage readLossyWebp(Path file) {
        try {
            byte[] head = new byte[12];
            try (InputStream in = Files.newInputStream(file)) {
                if (in.readNBytes(head, 0, head.length) < head.length || !WebpDecoder.isWebp(head)) return null;
            }
            long size = Files.size(file);
            if (size > MAX_WEBP_FILE_BYTES) throw new ImageFileException(file, "WEBP file of " + size + " bytes is too large");
            byte[] data = Files.readAllBytes(file);
            return WebpDecoder.isLossy(data, file) ? WebpDecoder.decode(data, file, maxPixels) : null;
        } catch (ImageFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageFileException(file, "corrupt or unreadable image (" + describe(e) + ")", e);
        }
    }

    private RgbImage decode(ImageReader reader, Path file) throws IOException {
        String format = reader.getFormatName().toUpperCase(Locale.ROOT);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width < 1 || height < 1) throw new ImageFileException(file, format + " header has size " + width + "x" + height);
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
            throw new ImageFileException(file, format + " image of " + width + "x" + height + " = " + pixels
                    + " pixels exceeds the limit of " + maxPixels + " pixels (possible decompression bomb)");
        }
        TruncationGuard guard = new TruncationGuard();
        reader.addIIOReadWarningListener(guard);
        ImageReadParam param = reader.getDefaultReadParam();
        ImageTypeSpecifier cmyk = rawCmykType(reader);
        if (cmyk != null) {
            param.setDestinationType(cmyk);
        } else if (format.equals("WEBP") && reader.getRawImageType(0) != null) {
            // Raw samples: TwelveMonkeys would otherwise convert from an embedded ICC profile to sRGB; Pillow never does.
            param.setDestinationType(reader.getRawImageType(0));
        }
        BufferedImage image = reader.read(0, param);
        if (guard.problem != null) throw new ImageFileException(file, format + " data is truncated or corrupt (" + guard.problem + ")");
        if (image.getWidth() != width || image.getHeight() != height) {
            throw new ImageFileException(file, format + " decoded to " + image.getWidth() + "x" + image.getHeight()
                    + " but the header says " + width + "x" + height);
        }
        return new RgbImage(width, height, toRgb(image, cmyk != null && hasAdobeMarker(reader), file, format));
    }

    /** The reader's CMYK destination type, when it offers one (so samples are raw CMYK, not ICC-converted). */
    private static ImageTypeSpecifier rawCmykType(ImageReader reader) throws IOException {
        for (Iterator<ImageTypeSpecifier> it = reader.getImageTypes(0); it.hasNext(); ) {
            ImageTypeSpecifier t = it.next();
            if (t.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_CMYK) return t;
        }
        return null;
    }

    /** Whether a JPEG has an Adobe APP14 marker: its CMYK samples are stored inverted (Photoshop convention). */
    private static boolean hasAdobeMarker(ImageReader reader) {
        try {
            IIOMetadata meta = reader.getImageMetadata(0);
            if (meta == null || !Arrays.asList(meta.getMetadataFormatNames()).contains(JPEG_METADATA)) return false;
            return containsNode(meta.getAsTree(JPEG_METADATA), "app14Adobe");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean containsNode(Node n, String name) {
        if (name.equals(n.getNodeName())) return true;
        for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) if (containsNode(c, name)) return true;
        return false;
    }

    /** Pillow {@code convert("RGB")} on the decoded samples ({@code adobeInverted}: CMYK stored inverted). */
    static byte[] toRgb(BufferedImage image, boolean adobeInverted, Path file, String format) {
        int w = image.getWidth(), h = image.getHeight();
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        int bands = raster.getNumBands();
        int[] row = new int[w * bands];
        if (cm instanceof IndexColorModel icm) {
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row);
                for (int x = 0, o = y * w * 3; x < w; x++, o += 3) {
                    int i = row[x * bands];
                    out[o] = (byte) icm.getRed(i);
                    out[o + 1] = (byte) icm.getGreen(i);
                    out[o + 2] = (byte) icm.getBlue(i);
                }
            }
            return out;
        }
        int csType = cm.getColorSpace().getType();
        int bits = cm.getComponentSize(0);
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0, o = y * w * 3; x < w; x++, o += 3) {
                int p = x * bands;
                switch (csType) {
                    case ColorSpace.TYPE_GRAY -> {
                        int v = grey(row[p], bits, bands > 1);
                        out[o] = out[o + 1] = out[o + 2] = (byte) v;
                    }
                    case ColorSpace.TYPE_RGB -> {
                        if (bands < 3) throw new ImageFileException(file, format + " RGB image with " + bands + " bands");
                        out[o] = (byte) eightBit(row[p], bits);
                        out[o + 1] = (byte) eightBit(row[p + 1], bits);
                        out[o + 2] = (byte) eightBit(row[p + 2], bits);
                    }
                    case ColorSpace.TYPE_CMYK -> {
                        int inv = adobeInverted ? 255 : 0; // Pillow's rawmode "CMYK;I" for Adobe files
                        int k = 255 - (inv ^ eightBit(row[p + 3], bits));
                        for (int c = 0; c < 3; c++) out[o + c] = (byte) clip8(k - mulDiv255(inv ^ eightBit(row[p + c], bits), k));
                    }
                    default -> throw new ImageFileException(file, format + " colour space type " + csType
                            + " is not supported (expected grey, palette, RGB or CMYK)");
                }
            }
        }
        return out;
    }

    /** Grey sample to 8 bits: 16-bit grey alone is Pillow mode "I" (clipped), with alpha "LA;16B" (high byte). */
    private static int grey(int v, int bits, boolean hasAlpha) {
        if (bits == 16 && !hasAlpha) return Math.min(v, 255);
        return eightBit(v, bits);
    }

    private static int eightBit(int v, int bits) {
        if (bits == 8) return v;
        if (bits > 8) return v >>> (bits - 8);
        return v * 255 / ((1 << bits) - 1);
    }

    /** Pillow's MULDIV255: {@code (a*b + 128 + ((a*b + 128) >> 8)) >> 8}. */
    private static int mulDiv255(int a, int b) {
        int t = a * b + 128;
        return ((t >> 8) + t) >> 8;
    }

    private static int clip8(int v) { return v < 0 ? 0 : Math.min(v, 255); }

    /**
     * Reads an image file held in memory (an HTTP upload) with the same checks as {@link #read(Path)}: header
     * size against the pixel limit before decoding, truncation, unsupported formats. {@code name} labels errors
     * (e.g. the form field the bytes came from). Read through a memory-cached stream: ImageIO's default stream
     * would spill uploads to temporary files.
     */
    public RgbImage read(byte[] data, String name) {
        Path label = Path.of(name);
        if (data == null || data.length == 0) throw new ImageFileException(label, "empty image data");
        if (data.length >= 12 && WebpDecoder.isWebp(java.util.Arrays.copyOf(data, 12))) {
            try {
                if (WebpDecoder.isLossy(data, label)) return WebpDecoder.decode(data, label, maxPixels);
            } catch (ImageFileException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ImageFileException(label, "corrupt or unreadable image (" + describe(e) + ")", e);
            }
        }
        try (ImageInputStream in = new javax.imageio.stream.MemoryCacheImageInputStream(new java.io.ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageFileException(label, "unsupported or unrecognised image format (supported: PNG, JPEG, BMP, WebP, GIF)");
            }
            ImageReader reader = readers.next();
            try {
                if (isPng(reader)) PngChunks.verify(in, label);
                reader.setInput(in, true, true);
                return decode(reader, label);
            } finally {
                reader.dispose();
            }
        } catch (ImageFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageFileException(label, "corrupt or unreadable image (" + describe(e) + ")", e);
        }
    }

    private static boolean isPng(ImageReader reader) throws IOException {
        return reader.getFormatName().equalsIgnoreCase("png");
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    /** Fails decoding when the decoder reports premature end of data instead of throwing (the JDK's JPEG reader). */
    private static final class TruncationGuard implements javax.imageio.event.IIOReadWarningListener {
        String problem;

        @Override public void warningOccurred(ImageReader source, String warning) {
            String w = warning == null ? "" : warning.toLowerCase(Locale.ROOT);
            if (problem == null && (w.contains("premature end") || w.contains("truncat"))) problem = warning;
        }
    }
}
