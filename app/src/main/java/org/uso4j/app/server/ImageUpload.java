package org.uso4j.app.server;

import java.util.HexFormat;
import org.uso4j.pipeline.image.ImageDecoder;
import org.uso4j.pipeline.image.ImageFileException;
import org.uso4j.pipeline.image.RgbImage;

/**
 * An uploaded image file, checked at the edge: only PNG, JPEG, WebP and BMP (recognised by their first bytes,
 * whatever the client claims), decoded with a pixel limit that is checked from the header before decoding.
 */
final class ImageUpload {
    private ImageUpload() {}

    /** Decodes {@code bytes} uploaded as {@code field}; every refusal is a 400 naming the field. */
    static RgbImage decode(byte[] bytes, String field, ImageDecoder decoder) {
        if (bytes.length == 0) throw ApiException.badRequest(field, field + ": empty image");
        String type = type(bytes);
        if (type == null) {
            int n = Math.min(bytes.length, 8);
            throw ApiException.badRequest(field, field + ": not a PNG, JPEG, WebP or BMP file (starts with "
                    + HexFormat.ofDelimiter(" ").formatHex(bytes, 0, n) + ")");
        }
        try {
            return decoder.read(bytes, field);
        } catch (ImageFileException e) {
            throw ApiException.badRequest(field, e.getMessage());
        }
    }

    /** "png", "jpeg", "webp" or "bmp" from the magic bytes, else null. */
    static String type(byte[] b) {
        if (starts(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) return "png";
        if (starts(b, 0xFF, 0xD8, 0xFF)) return "jpeg";
        if (b.length >= 12 && starts(b, 'R', 'I', 'F', 'F') && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') return "webp";
        if (b.length >= 26 && starts(b, 'B', 'M')) return "bmp";
        return null;
    }

    private static boolean starts(byte[] b, int... magic) {
        if (b.length < magic.length) return false;
        for (int i = 0; i < magic.length; i++) if ((b[i] & 0xFF) != magic[i]) return false;
        return true;
    }
}
