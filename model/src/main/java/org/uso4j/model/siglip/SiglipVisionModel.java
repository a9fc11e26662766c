package org.uso4j.model.siglip;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.Checkpoints;
import org.uso4j.core.io.WeightStore;
import org.uso4j.model.nn.HfFolder;
import org.uso4j.model.nn.LayerNorm;
import org.uso4j.model.nn.Weights;

/**
 * The SigLIP vision tower, transformers {@code SiglipVisionModel} / {@code SiglipVisionTransformer} (4.43): patch
 * embeddings, {@code num_hidden_layers} pre-LN encoder layers, post_layernorm and the attention-pooling head.
 * USO reads {@code hidden_states[-2]}, {@code [-11]} and {@code [-20]} for its style projector.
 *
 * <p>Loads from a Hugging Face folder (config.json + model.safetensors, a shard index or, once its reader lands,
 * pytorch_model.bin), from a whole {@code SiglipModel} checkpoint (the text tower is skipped by an explicit rule,
 * see {@link SiglipCheckpointLayout}), or from a single vision-only file without config.json ({@link
 * SiglipVisionConfig#so400m()}). Weights stay in their stored dtype; tensors are views of the mapped file, so the
 * model must be closed when it was loaded from a path.
 */
public final class SiglipVisionModel implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SiglipVisionModel.class.getName());

    private final SiglipVisionConfig config;
    private final Backend backend;
    private final SiglipVisionEmbeddings embeddings;
    private final List<SiglipEncoderLayer> layers;
    private final LayerNorm postLayernorm;
    private final SiglipPoolingHead head; // null when config.visionUseHead() is false
    private final String summary;
    private final Checkpoint owned;       // closed with the model; null when the caller owns the weights

    private SiglipVisionModel(SiglipVisionConfig config, Backend backend, SiglipVisionEmbeddings embeddings,
            List<SiglipEncoderLayer> layers, LayerNorm postLayernorm, SiglipPoolingHead head, String summary, Checkpoint owned) {
        this.config = config;
        this.backend = backend;
        this.embeddings = embeddings;
        this.layers = List.copyOf(layers);
        this.postLayernorm = postLayernorm;
        this.head = head;
        this.summary = summary;
        this.owned = owned;
    }

    /**
     * Loads from a Hugging Face folder or a single weight file. The config is {@code config.json} in the folder
     * (or beside the file); a file without one is taken to be so400m ({@link SiglipVisionConfig#so400m()}),
     * without the pooling head if the file has no {@code vision_model.head.*} tensors.
     */
    public static SiglipVisionModel load(Path dirOrFile, Backend backend) {
        Path configJson = HfFolder.configJson(dirOrFile);
        return load(dirOrFile, configJson != null ? SiglipVisionConfig.read(configJson) : null, backend);
    }

    /** Loads with an explicit config; {@code config} null means the so400m preset as in {@link #load(Path, Backend)}. */
    public static SiglipVisionModel load(Path dirOrFile, SiglipVisionConfig config, Backend backend) {
        return Checkpoints.openFor(HfFolder.weightFile(dirOrFile), ckpt -> {
            WeightStore store = new WeightStore().addAll(ckpt);
            SiglipVisionConfig c = config;
            if (c == null) {
                boolean hasHead = store.keys().stream().anyMatch(k -> k.startsWith("vision_model.head."));
                c = hasHead ? SiglipVisionConfig.so400m() : SiglipVisionConfig.so400m().withoutHead();
            }
            return build(store, c, backend, ckpt);
        });
    }

    /** Builds the tower from {@code store} (canonical key names), taking every tensor strictly; the caller owns it. */
    public static SiglipVisionModel load(WeightStore store, SiglipVisionConfig config, Backend backend) {
        return build(store, config, backend, null);
    }

    private static SiglipVisionModel build(WeightStore store, SiglipVisionConfig c, Backend backend, Checkpoint owned) {
        SiglipCheckpointLayout layout = SiglipCheckpointLayout.detect(store);
        store.adoptWith(backend::adopt);
        Weights w = new Weights(store).at("vision_model");
        SiglipVisionEmbeddings embeddings = SiglipVisionEmbeddings.load(w.at("embeddings"), c);
        List<SiglipEncoderLayer> layers = new ArrayList<>();
        Weights encoderLayers = w.at("encoder").at("layers");
        for (int i = 0; i < c.numHiddenLayers(); i++) layers.add(SiglipEncoderLayer.load(encoderLayers.at(i), c));
        LayerNorm postLayernorm = LayerNorm.load(w.at("post_layernorm"), c.hiddenSize(), c.layerNormEps());
        SiglipPoolingHead head = c.visionUseHead() ? SiglipPoolingHead.load(w.at("head"), c) : null;
        layout.skipForeign(store);
        store.requireAllUsed("SigLIP vision tower");
        String summary = store.summary("SigLIP vision tower (" + layout + ", " + c.numHiddenLayers() + " layers, D "
                + c.hiddenSize() + (head == null ? ", no pooling head" : "") + ")");
        LOG.log(System.Logger.Level.DEBUG, summary);  // callers report it with the load time
        return new SiglipVisionModel(c, backend, embeddings, layers, postLayernorm, head, summary, owned);
    }

    public SiglipVisionConfig config() { return config; }

    /** One line: what was loaded, from where. */
    public String summary() { return summary; }

    public boolean hasPoolingHead() { return head != null; }

    /**
     * {@code SiglipVisionTransformer.forward(pixel_values, output_hidden_states=True)}: pixel_values
     * [B, C, S, S] (already normalized, S = image_size; any float dtype, computed in float32).
     */
    public SiglipVisionOutput forward(Tensor pixelValues) {
        checkPixels(pixelValues);
        pixelValues = pixelValues.toF32();
        Tensor hiddenStates = embeddings.forward(backend, pixelValues); // [B, N, D]
        List<Tensor> all = new ArrayList<>(layers.size() + 1);
        all.add(hiddenStates);
        for (SiglipEncoderLayer layer : layers) {
            hiddenStates = layer.forward(backend, hiddenStates);
            all.add(hiddenStates);
        }
        Tensor lastHiddenState = postLayernorm.forward(backend, hiddenStates);
        Tensor pooled = head == null ? null : head.forward(backend, lastHiddenState);
        return new SiglipVisionOutput(lastHiddenState, pooled, all);
    }

    private void checkPixels(Tensor x) {
        int s = config.imageSize();
        if (x.rank() != 4 || x.dim(1) != config.numChannels() || x.dim(2) != s || x.dim(3) != s || x.dim(0) < 1) {
            throw new IllegalArgumentException("SigLIP pixel_values must be [B, " + config.numChannels() + ", " + s + ", " + s
                    + "] (image_size " + s + "), got " + x.shape());
        }
        if (!x.dtype().isFloating() || x.dtype().isQuantized()) {
            throw new IllegalArgumentException("SigLIP pixel_values must be floating point, got " + x.dtype());
        }
    }

    @Override public void close() {
        if (owned != null) owned.close();
    }
}
