package org.uso4j.pipeline.generate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.siglip.SiglipVisionModel;
import org.uso4j.model.siglip.SiglipVisionOutput;
import org.uso4j.model.uso.StyleFeatureLevel;
import org.uso4j.pipeline.image.RgbImage;
import org.uso4j.pipeline.image.SiglipImageProcessor;
import org.uso4j.pipeline.image.SiglipProcessorConfig;

/**
 * Style images → SigLIP hidden states at the levels USO's projector reads ({@code -2, -11, -20}): the original
 * image resized as {@code preprocessor_config.json} says (so400m: 384², bicubic, mean/std 0.5), then the vision tower.
 */
final class StyleEncoder implements AutoCloseable {
    private final SiglipImageProcessor processor;
    private final SiglipVisionModel model;

    private StyleEncoder(SiglipImageProcessor processor, SiglipVisionModel model) {
        this.processor = processor;
        this.model = model;
    }

    static StyleEncoder load(Path siglip, Backend be) {
        Path dir = Files.isDirectory(siglip) ? siglip : siglip.toAbsolutePath().getParent();
        Path pc = dir.resolve("preprocessor_config.json");
        SiglipProcessorConfig cfg = Files.isRegularFile(pc) ? SiglipProcessorConfig.read(pc) : SiglipProcessorConfig.so400m384();
        return new StyleEncoder(new SiglipImageProcessor(cfg), SiglipVisionModel.load(siglip, be));
    }

    Map<StyleFeatureLevel, Tensor> hiddenStates(RgbImage image) {
        SiglipVisionOutput out = model.forward(processor.pixelValues(image));
        Map<StyleFeatureLevel, Tensor> hs = new EnumMap<>(StyleFeatureLevel.class);
        for (StyleFeatureLevel level : StyleFeatureLevel.values()) hs.put(level, out.hiddenState(level.hiddenStateIndex()));
        return hs;
    }

    String summary() { return model.summary(); }

    @Override public void close() { model.close(); }
}
