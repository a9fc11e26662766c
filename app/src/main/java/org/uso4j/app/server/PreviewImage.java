package org.uso4j.app.server;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.uso4j.pipeline.generate.Progress;

/** A latent preview as a {@code data:image/png;base64,...} URL for SSE step events. */
final class PreviewImage {
    private PreviewImage() {}

    static String dataUrl(Progress.Preview p) {
        BufferedImage img = new BufferedImage(p.width(), p.height(), BufferedImage.TYPE_INT_RGB);
        byte[] rgb = p.rgb();
        for (int y = 0, i = 0; y < p.height(); y++) {
            for (int x = 0; x < p.width(); x++, i += 3) {
                img.setRGB(x, y, (rgb[i] & 0xFF) << 16 | (rgb[i + 1] & 0xFF) << 8 | (rgb[i + 2] & 0xFF));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a preview PNG", e);
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
