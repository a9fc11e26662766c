package org.uso4j.model.uso;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.CheckpointException;
import org.uso4j.core.io.WeightStore;
import org.uso4j.model.flux.Flux;
import org.uso4j.model.flux.FluxConfig;
import org.uso4j.model.flux.FluxInputs;
import org.uso4j.model.flux.FluxLayout;
import org.uso4j.model.nn.CancelCheck;

/**
 * The USO diffusion transformer: FLUX (any supported layout and dtype) + the USO LoRA + the style projector, each
 * loaded strictly from its own file. Style images reach it as SigLIP hidden states, projected once per image.
 */
public final class UsoDit {
    private final Flux flux;
    private final UsoLora lora;           // null: plain FLUX
    private final StyleProjector projector; // null: no style conditioning
    private final String summary;

    private UsoDit(Flux flux, UsoLora lora, StyleProjector projector, String summary) {
        this.flux = flux;
        this.lora = lora;
        this.projector = projector;
        this.summary = summary;
    }

    /**
     * Loads the transformer from {@code fluxFile} and, when non-null, the LoRA and projector files. {@code config}
     * may be null: then the file's {@code config} metadata (FluxParams) is used, else the shapes.
     */
    public static UsoDit load(Checkpoint fluxFile, Checkpoint loraFile, Checkpoint projectorFile, FluxConfig config, float loraWeight) {
        return load(fluxFile, loraFile, projectorFile, config, loraWeight, UnaryOperator.identity());
    }

    /** As {@link #load(Checkpoint, Checkpoint, Checkpoint, FluxConfig, float)}, every weight adopted by {@code be} once. */
    public static UsoDit load(Checkpoint fluxFile, Checkpoint loraFile, Checkpoint projectorFile, FluxConfig config, float loraWeight, Backend be) {
        return load(fluxFile, loraFile, projectorFile, config, loraWeight, be::adopt);
    }

    private static UsoDit load(Checkpoint fluxFile, Checkpoint loraFile, Checkpoint projectorFile, FluxConfig config, float loraWeight,
                               UnaryOperator<Tensor> adopter) {
        WeightStore base = FluxLayout.toStore(fluxFile).adoptWith(adopter);
        FluxConfig cfg = config != null ? config : configOf(fluxFile, base);
        Flux flux = new Flux(base, cfg);
        base.requireAllUsed("FLUX " + cfg);
        List<String> lines = new ArrayList<>(List.of(base.summary("FLUX")));
        UsoLora lora = null;
        if (loraFile != null) {
            WeightStore ls = UsoLayouts.loraStore(loraFile).adoptWith(adopter);
            lora = new UsoLora(ls, flux);
            ls.requireAllUsed("the USO LoRA for " + cfg);
            lora.attach(loraWeight);
            lines.add(ls.summary("USO LoRA rank " + lora.rank()));
        }
        StyleProjector projector = null;
        if (projectorFile != null) {
            WeightStore ps = UsoLayouts.projectorStore(projectorFile).adoptWith(adopter);
            projector = new StyleProjector(ps);
            ps.requireAllUsed("the USO style projector");
            if (projector.config().hiddenSize() != cfg.hiddenSize()) {
                throw new CheckpointException(projectorFile.source() + ": projector outputs " + projector.config().hiddenSize()
                        + " features, FLUX hidden size is " + cfg.hiddenSize());
            }
            ProjectorConfig pc = projector.config();
            lines.add(ps.summary("style projector (" + pc.siglipTokenNums() + " SigLIP tokens of " + pc.siglipTokenDims() + " → "
                    + pc.tokensPerImage() + " style tokens of " + pc.hiddenSize() + ")"));
        }
        return new UsoDit(flux, lora, projector, String.join("\n", lines));
    }

    /** FluxParams from the safetensors metadata {@code config} when present, else from the tensor shapes. */
    static FluxConfig configOf(Checkpoint file, WeightStore base) {
        String json = file.metadata().get("config");
        if (json != null) {
            try {
                JsonNode p = new ObjectMapper().readTree(json).path("FluxParams");
                if (p.isObject()) return FluxConfig.fromJson(p);
            } catch (Exception e) {
                throw new CheckpointException(file.source() + ": metadata 'config' is not valid JSON: " + e.getMessage(), e);
            }
        }
        return FluxConfig.fromWeights(base, null);
    }

    public Flux flux() { return flux; }
    public FluxConfig config() { return flux.config(); }
    public boolean hasProjector() { return projector != null; }
    public StyleProjector projector() { return projector; }

    /** One line per loaded file: tensors, bytes, dtypes, source. */
    public String summary() { return summary; }

    /** Sets the official {@code lora_weight} (scale of every LoRA branch); no-op without LoRA. */
    public void setLoraWeight(float weight) {
        if (lora != null) lora.attach(weight);
    }

    /** Style tokens [1, 3·S, hidden] of one style image from its SigLIP hidden states (-2, -11, -20). */
    public Tensor styleTokens(Backend be, Map<StyleFeatureLevel, Tensor> hiddenStates) {
        if (projector == null) throw new IllegalStateException("no style projector loaded: style images need projector.safetensors");
        return projector.forward(be, new EnumMap<>(hiddenStates));
    }

    public Tensor forward(Backend be, FluxInputs in) { return flux.forward(be, in); }

    /** The velocity, polling {@code cancel} before every transformer block. */
    public Tensor forward(Backend be, FluxInputs in, CancelCheck cancel) { return flux.forward(be, in, null, cancel); }
}
