package org.uso4j.app.server;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.pipeline.generate.GenerationCancelledException;
import org.uso4j.pipeline.generate.GenerationResult;
import org.uso4j.pipeline.generate.ModelFiles;
import org.uso4j.pipeline.generate.PipelineOptions;
import org.uso4j.pipeline.generate.UsoPipeline;
import org.uso4j.pipeline.image.RgbImage;

/**
 * The tiny model set ({@code pipeline_tiny}), opened once per test JVM and shared by every server the tests start
 * (the pipeline loads lazily and keeps its stages), plus small images to upload.
 */
final class TinyModels {
    /** Prompt that makes {@link #generation()} hold the job (stepping every 20 ms) until it is cancelled. */
    static final String HOLD = "hold until cancelled";
    private static UsoPipeline pipeline;

    private TinyModels() {}

    static Path dir() {
        Path tiny = Path.of(System.getProperty("uso4j.golden", "../shared/golden")).resolve("pipeline_tiny");
        Assumptions.assumeTrue(Files.isDirectory(tiny), "pipeline_tiny not found");
        return tiny;
    }

    static synchronized UsoPipeline pipeline() {
        if (pipeline == null) {
            pipeline = UsoPipeline.open(ModelFiles.discover(dir(), Map.of()), new CpuBackend(2), PipelineOptions.defaults().withPreviews(true));
        }
        return pipeline;
    }

    /** The tiny pipeline, except for the {@link #HOLD} prompt: a job that steps until cancelled (queue tests). */
    static Generation generation() {
        UsoPipeline p = pipeline();
        return (req, progress) -> {
            if (!req.prompt().equals(HOLD)) return p.generate(req, progress);
            progress.stage("denoising");
            for (int step = 1; ; step++) {
                progress.step(step, req.numSteps(), 0.02, 0.02 * (req.numSteps() - step), null);
                if (progress.cancelled()) throw new GenerationCancelledException("denoising step " + step);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    throw new GenerationCancelledException("interrupt");
                }
                if (step > 100_000) return new GenerationResult(new RgbImage(16, 16, new byte[16 * 16 * 3]), req.settings(), 1);
            }
        };
    }

    /** A w×h PNG (or other ImageIO format) with a colour gradient. */
    static byte[] image(int w, int h, String format) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | 0x60);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) throw new IllegalStateException("no writer for " + format);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
