package org.uso4j.pipeline.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.uso4j.pipeline.generate.GenerationRequest;
import org.uso4j.pipeline.generate.GenerationResult;
import org.uso4j.pipeline.generate.Progress;
import org.uso4j.pipeline.generate.UsoPipeline;
import org.uso4j.pipeline.image.ImageDecoder;
import org.uso4j.pipeline.image.PngFile;
import org.uso4j.pipeline.image.RgbImage;

/**
 * Generates an item's missing image with {@link UsoPipeline}: its content references as content images, its style
 * references as style images, the template's size/steps/guidance/seed; written atomically as
 * {@code <imageStem(0)>.png}, the name the official inference.py would give it.
 */
public final class PipelineImageGenerator implements ImageGenerator {
    private final UsoPipeline pipeline;
    private final GenerationRequest template;
    private final Progress progress;
    private final ImageDecoder decoder = new ImageDecoder();

    public PipelineImageGenerator(UsoPipeline pipeline, GenerationRequest template, Progress progress) {
        this.pipeline = pipeline;
        this.template = template;
        this.progress = progress;
    }

    @Override public List<Path> generate(BenchmarkItem item, Path imagesDir) {
        List<RgbImage> content = new ArrayList<>(), style = new ArrayList<>();
        item.contentRefs().forEach(p -> content.add(decoder.read(p)));
        item.styleRefs().forEach(p -> style.add(decoder.read(p)));
        GenerationRequest t = template;
        GenerationRequest req = new GenerationRequest(item.prompt(), content, style, t.width(), t.height(), t.numSteps(), t.guidance(),
                t.seed(), t.pe(), t.contentLongSide(), t.loraWeight(), t.posterior(), t.posteriorSeed());
        GenerationResult r = pipeline.generate(req, progress);
        Path png = imagesDir.resolve(item.imageStem(0) + ".png");
        PngFile.write(png, r.image(), r.pngText(pipeline.modelName()));
        return List.of(png);
    }
}
