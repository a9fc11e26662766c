package org.uso4j.model.metrics.csd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.CheckpointException;
import org.uso4j.core.io.Checkpoints;
import org.uso4j.core.io.TensorEntry;
import org.uso4j.core.io.WeightStore;
import org.uso4j.model.metrics.clip.VisionTransformer;
import org.uso4j.model.nn.HfFolder;
import org.uso4j.model.nn.Weights;

/**
 * CSD ({@code CSD_CLIP.forward}, learn2phoenix/CSD CSD/model.py @ 3a9df326) for the CSD style metric:
 * {@code feature = backbone(x)}; {@code content = normalize(feature @ last_layer_content)};
 * {@code style = normalize(feature @ last_layer_style)} with {@code normalize(v) = v / max(||v||₂, 1e-12)}.
 *
 * <p>Loads the released {@code pytorch_model.bin} (a training checkpoint whose {@code model_state_dict} carries
 * the DistributedDataParallel prefix {@code module.}) through the safe torch.save reader, or the same tensors as
 * safetensors, with or without the prefix. Loading is strict (the reference uses {@code strict=False}).
 */
public final class CsdModel implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CsdModel.class.getName());
    /** DistributedDataParallel's key prefix, stripped by the official loader. */
    static final String DDP_PREFIX = "module.";

    private final CsdConfig config;
    private final Backend backend;
    private final VisionTransformer backbone;
    private final Tensor lastLayerContent, lastLayerStyle; // [width, dim]
    private final String summary;
    private final Checkpoint owned;

    private CsdModel(CsdConfig config, Backend backend, VisionTransformer backbone, Tensor lastLayerContent, Tensor lastLayerStyle,
            String summary, Checkpoint owned) {
        this.config = config;
        this.backend = backend;
        this.backbone = backbone;
        this.lastLayerContent = lastLayerContent;
        this.lastLayerStyle = lastLayerStyle;
        this.summary = summary;
        this.owned = owned;
    }

    /** Loads a CSD checkpoint; backbone heads from a config.json beside it ({@code backbone.heads}) if present, else width / 64. */
    public static CsdModel load(Path dirOrFile, Backend backend) {
        return Checkpoints.openFor(dirOrFile, ckpt -> {
            WeightStore store = new WeightStore();
            for (TensorEntry e : ckpt.entries()) {
                String key = e.name().startsWith(DDP_PREFIX) ? e.name().substring(DDP_PREFIX.length()) : e.name();
                store.put(key, ckpt.source() + " ['" + e.name() + "']", e.dtype(), e.shape(), () -> ckpt.tensor(e.name()));
            }
            CsdConfig config;
            try {
                config = CsdConfig.fromWeights(store, heads(dirOrFile), 1e-5f);
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(ckpt.source() + ": " + e.getMessage(), e);
            }
            return build(store, config, backend, ckpt.source(), ckpt);
        });
    }

    /** Builds from canonical tensors ({@code backbone.*}, {@code last_layer_*}, no {@code module.}); the caller owns the files. */
    public static CsdModel load(WeightStore store, CsdConfig config, Backend backend) {
        return build(store, config, backend, "given weights", null);
    }

    private static CsdModel build(WeightStore store, CsdConfig c, Backend backend, String from, Checkpoint owned) {
        store.adoptWith(backend::adopt);
        Weights w = new Weights(store);
        int width = c.backbone().width();
        VisionTransformer backbone = VisionTransformer.load(w.at("backbone"), c.backbone());
        Tensor style = w.take("last_layer_style", width, c.projectionDim());
        Tensor content = w.take("last_layer_content", width, c.projectionDim());
        store.requireAllUsed("CSD");
        String summary = store.summary("CSD (" + from + ": backbone " + width + "x" + c.backbone().layers() + "x" + c.backbone().heads()
                + " patch " + c.backbone().patchSize() + " @" + c.backbone().inputResolution() + ", heads " + c.projectionDim() + ")");
        LOG.log(System.Logger.Level.DEBUG, summary);  // callers report it with the load time
        return new CsdModel(c, backend, backbone, content, style, summary, owned);
    }

    public CsdConfig config() { return config; }

    public String summary() { return summary; }

    /** image [B, 3, R, R] (CLIP-normalised pixels) → (feature, content, style). */
    public CsdOutput forward(Tensor image) {
        Tensor feature = backbone.forward(backend, image).pooled();
        Tensor content = normalize(backend.matmul(feature, lastLayerContent, false));
        Tensor style = normalize(backend.matmul(feature, lastLayerStyle, false));
        return new CsdOutput(feature, content, style);
    }

    /**
     * {@code F.normalize(v, dim=1)} = v / max(||v||, 1e-12), as RMSNorm / sqrt(dim): x / sqrt(mean(x²) + eps) · dim^-½
     * = x / sqrt(||x||² + eps·dim), with eps·dim = 1e-24 = (1e-12)², so tiny vectors are treated alike.
     */
    Tensor normalize(Tensor v) {
        int dim = v.dim(-1);
        return backend.scale(backend.rmsNorm(v, null, (float) (1e-24 / dim)), (float) (1 / Math.sqrt(dim)));
    }

    private static OptionalInt heads(Path dirOrFile) {
        Path cj = HfFolder.configJson(dirOrFile);
        if (cj == null) return OptionalInt.empty();
        try {
            JsonNode h = new ObjectMapper().readTree(cj.toFile()).path("backbone").path("heads");
            if (h.isMissingNode() || h.isNull()) return OptionalInt.empty();
            if (!h.isIntegralNumber() || h.asInt() <= 0) throw new CheckpointException(cj + ": 'backbone.heads' must be a positive integer, got " + h);
            return OptionalInt.of(h.asInt());
        } catch (IOException e) {
            throw new CheckpointException(cj + ": cannot read: " + e.getMessage(), e);
        }
    }

    @Override public void close() {
        if (owned != null) owned.close();
    }
}
