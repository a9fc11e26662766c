package org.uso4j.pipeline.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Node;

/**
 * 8-bit RGB PNG output with text metadata (the generation settings go there). Written atomically: into a
 * temporary file beside the target, then moved over it, so a failure never leaves a partial file under the
 * final name. Values that are not Latin-1 go into iTXt (UTF-8) chunks, the rest into tEXt.
 */
public final class PngFile {
    private static final String NATIVE_FORMAT = "javax_imageio_png_1.0";

    private PngFile() {}

    /** Writes {@code image} to {@code target} with one text chunk per entry of {@code text} (in order). */
    public static void write(Path target, RgbImage image, Map<String, String> text) {
        text.forEach(PngFile::checkKeyword);
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try (OutputStream os = Files.newOutputStream(tmp)) {
                encode(os, image, text);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) throw iae;
            throw new ImageFileException(target, "cannot write PNG: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary name is hidden and never the target
                }
            }
        }
    }

    /** The PNG file {@link #write} would write, as bytes (for outputs written through another file system). */
    public static byte[] encode(RgbImage image, Map<String, String> text) {
        text.forEach(PngFile::checkKeyword);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try {
            encode(bytes, image, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot encode PNG: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    private static void encode(OutputStream os, RgbImage image, Map<String, String> text) throws IOException {
        BufferedImage bi = toBufferedImage(image);
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) throw new IOException("no PNG writer available");
        ImageWriter writer = writers.next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(os)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(bi), param);
            if (!text.isEmpty()) meta.mergeTree(NATIVE_FORMAT, textTree(text));
            writer.write(null, new IIOImage(bi, null, meta), param);
        } finally {
            writer.dispose();
        }
    }

    private static IIOMetadataNode textTree(Map<String, String> text) {
        IIOMetadataNode root = new IIOMetadataNode(NATIVE_FORMAT);
        IIOMetadataNode tEXt = new IIOMetadataNode("tEXt");
        IIOMetadataNode iTXt = new IIOMetadataNode("iTXt");
        for (Map.Entry<String, String> e : text.entrySet()) {
            String value = e.getValue() == null ? "" : e.getValue();
            if (isLatin1(value)) {
                IIOMetadataNode n = new IIOMetadataNode("tEXtEntry");
                n.setAttribute("keyword", e.getKey());
                n.setAttribute("value", value);
                tEXt.appendChild(n);
            } else {
                IIOMetadataNode n = new IIOMetadataNode("iTXtEntry");
                n.setAttribute("keyword", e.getKey());
                n.setAttribute("compressionFlag", "FALSE");
                n.setAttribute("compressionMethod", "0");
                n.setAttribute("languageTag", "");
                n.setAttribute("translatedKeyword", "");
                n.setAttribute("text", value);
                iTXt.appendChild(n);
            }
        }
        if (tEXt.hasChildNodes()) root.appendChild(tEXt);
        if (iTXt.hasChildNodes()) root.appendChild(iTXt);
        return root;
    }

    /** The tEXt and iTXt entries of a PNG file, in file order. */
    public static Map<String, String> readText(Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, false);
                Node root = reader.getImageMetadata(0).getAsTree(NATIVE_FORMAT);
                for (Node chunk = root.getFirstChild(); chunk != null; chunk = chunk.getNextSibling()) {
                    for (Node n = chunk.getFirstChild(); n != null; n = n.getNextSibling()) {
                        IIOMetadataNode e = (IIOMetadataNode) n;
                        switch (n.getNodeName()) {
                            case "tEXtEntry" -> out.put(e.getAttribute("keyword"), e.getAttribute("value"));
                            case "iTXtEntry" -> out.put(e.getAttribute("keyword"), e.getAttribute("text"));
                            default -> { }
                        }
                    }
                }
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new ImageFileException(file, "cannot read PNG text: " + e.getMessage(), e);
        }
        return out;
    }

    /** A 3-byte-per-pixel sRGB image sharing {@code image}'s bytes. */
    static BufferedImage toBufferedImage(RgbImage image) {
        int w = image.width(), h = image.height();
        DataBufferByte buffer = new DataBufferByte(image.rgb(), image.rgb().length);
        WritableRaster raster = Raster.createInterleavedRaster(buffer, w, h, w * 3, 3, new int[]{0, 1, 2}, null);
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), new int[]{8, 8, 8},
                false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        return new BufferedImage(cm, raster, false, null);
    }

    /** PNG keywords: 1-79 printable Latin-1 characters, no leading, trailing or double spaces. */
    private static void checkKeyword(String keyword, String value) {
        boolean ok = keyword != null && !keyword.isEmpty() && keyword.length() <= 79 && !keyword.startsWith(" ")
                && !keyword.endsWith(" ") && !keyword.contains("  ");
        if (ok) {
            for (int i = 0; i < keyword.length(); i++) {
                char c = keyword.charAt(i);
                if (!(c >= 32 && c <= 126) && !(c >= 161 && c <= 255)) ok = false;
            }
        }
        if (!ok) throw new IllegalArgumentException("PNG text keyword '" + keyword + "' must be 1-79 printable Latin-1 characters");
    }

    private static boolean isLatin1(String s) {
        return StandardCharsets.ISO_8859_1.newEncoder().canEncode(s) && s.indexOf('\0') < 0;
    }
}
