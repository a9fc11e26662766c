package org.uso4j.model.clip;

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
 * The CLIP text encoder, transformers {@code CLIPTextModel} / {@code CLIPTextTransformer} (4.43) as USO calls it
 * ({@code attention_mask=None}: only the causal mask): learned token + absolute position embeddings,
 * {@code num_hidden_layers} pre-LN causal layers, final_layer_norm, and pooler_output taken at the position chosen
 * by {@link ClipPooling} (USO's "vec" conditioning).
 *
 * <p>Loads from a Hugging Face folder (config.json + model.safetensors or, once its reader lands,
 * pytorch_model.bin), from a whole {@code CLIPModel} (vision tower and projections skipped by an explicit rule,
 * see {@link ClipCheckpointLayout}), or from a single file without config.json (ComfyUI's
 * {@code clip_l.safetensors}: {@link ClipTextConfig#vitL14()}). Weights stay in their stored dtype.
 */
public final class ClipTextModel implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ClipTextModel.class.getName());

    private final ClipTextConfig config;
    private final Backend backend;
    private final Tensor tokenEmbedding;    // [vocab, D]
    private final Tensor positionEmbedding; // [max_position_embeddings, D]
    private final List<ClipEncoderLayer> layers;
    private final LayerNorm finalLayerNorm;
    private final String summary;
    private final Checkpoint owned;

    private ClipTextModel(ClipTextConfig config, Backend backend, Tensor tokenEmbedding, Tensor positionEmbedding,
            List<ClipEncoderLayer> layers, LayerNorm finalLayerNorm, String summary, Checkpoint owned) {
        this.config = config;
        this.backend = backend;
        this.tokenEmbedding = tokenEmbedding;
        this.positionEmbedding = positionEmbedding;
        this.layers = List.copyOf(layers);
        this.finalLayerNorm = finalLayerNorm;
        this.summary = summary;
        this.owned = owned;
    }

    /**
     * Loads from a Hugging Face folder or a single weight file. The config is {@code config.json} in the folder
     * (or beside the file); a file without one is taken to be CLIP-L ({@link ClipTextConfig#vitL14()}).
     */
    public static ClipTextModel load(Path dirOrFile, Backend backend) {
        Path configJson = HfFolder.configJson(dirOrFile);
        return load(dirOrFile, configJson != null ? ClipTextConfig.read(configJson) : ClipTextConfig.vitL14(), backend);
    }

    /** Loads with an explicit config. */
    public static ClipTextModel load(Path dirOrFile, ClipTextConfig config, Backend backend) {
        return Checkpoints.openFor(HfFolder.weightFile(dirOrFile), ckpt -> build(new WeightStore().addAll(ckpt), config, backend, ckpt));
    }

    /** Builds the encoder from {@code store} (canonical key names), taking every tensor strictly; the caller owns it. */
    public static ClipTextModel load(WeightStore store, ClipTextConfig config, Backend backend) {
        return build(store, config, backend, null);
    }

    private static ClipTextModel build(WeightStore store, ClipTextConfig c, Backend backend, Checkpoint owned) {
        ClipCheckpointLayout layout = ClipCheckpointLayout.detect(store);
        store.adoptWith(backend::adopt);
        Weights w = new Weights(store).at("text_model");
        int d = c.hiddenSize();
        Weights embeddings = w.at("embeddings");
        Tensor tokenEmbedding = embeddings.at("token_embedding").take("weight", c.vocabSize(), d);
        Tensor positionEmbedding = embeddings.at("position_embedding").take("weight", c.maxPositionEmbeddings(), d);
        List<ClipEncoderLayer> layers = new ArrayList<>();
        Weights encoderLayers = w.at("encoder").at("layers");
        for (int i = 0; i < c.numHiddenLayers(); i++) layers.add(ClipEncoderLayer.load(encoderLayers.at(i), c));
        LayerNorm finalLayerNorm = LayerNorm.load(w.at("final_layer_norm"), d, c.layerNormEps());
        layout.skipForeign(store);
        store.requireAllUsed("CLIP text encoder");
        String summary = store.summary("CLIP text encoder (" + layout + ", " + c.numHiddenLayers() + " layers, D " + d
                + ", pooling " + c.pooling() + ")");
        LOG.log(System.Logger.Level.DEBUG, summary);  // callers report it with the load time
        return new ClipTextModel(c, backend, tokenEmbedding, positionEmbedding, layers, finalLayerNorm, summary, owned);
    }

    public ClipTextConfig config() { return config; }

    public String summary() { return summary; }

    /** pooler_output [B, D] for token ids [B][L]: what USO uses as "vec". */
    public Tensor pooled(long[][] inputIds) { return forward(inputIds).poolerOutput(); }

    /** {@code CLIPTextTransformer.forward(input_ids, output_hidden_states=True)}: ids [B][L], L ≤ max_position_embeddings. */
    public ClipTextOutput forward(long[][] inputIds) {
        int b = inputIds.length, l = checkIds(inputIds), d = config.hiddenSize();
        long[] flat = new long[b * l];
        for (int i = 0; i < b; i++) System.arraycopy(inputIds[i], 0, flat, i * l, l);
        // CLIPTextEmbeddings: token_embedding(input_ids) + position_embedding(arange(L))
        Tensor hiddenStates = backend.add(backend.embedding(tokenEmbedding, flat).reshape(b, l, d),
                backend.slice(positionEmbedding, 0, 0, l));
        List<Tensor> all = new ArrayList<>(layers.size() + 1);
        all.add(hiddenStates);
        for (ClipEncoderLayer layer : layers) {
            hiddenStates = layer.forward(backend, hiddenStates);
            all.add(hiddenStates);
        }
        Tensor lastHiddenState = finalLayerNorm.forward(backend, hiddenStates);
        // last_hidden_state[arange(B), pooling position]
        List<Integer> index = new ArrayList<>(b);
        List<Tensor> rows = new ArrayList<>(b);
        for (int r = 0; r < b; r++) {
            int p = config.pooling().position(inputIds[r], config.eosTokenId());
            index.add(p);
            rows.add(backend.slice(backend.slice(lastHiddenState, 0, r, r + 1), 1, p, p + 1).reshape(1, d));
        }
        return new ClipTextOutput(lastHiddenState, backend.concat(0, rows), index, all);
    }

    private int checkIds(long[][] ids) {
        if (ids.length == 0 || ids[0].length == 0) throw new IllegalArgumentException("CLIP input_ids must be [B >= 1][L >= 1]");
        int l = ids[0].length;
        if (l > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("CLIP input_ids have " + l + " positions, the model has " + config.maxPositionEmbeddings());
        }
        for (int r = 0; r < ids.length; r++) {
            if (ids[r].length != l) throw new IllegalArgumentException("CLIP input_ids row " + r + " has " + ids[r].length + " ids, row 0 has " + l);
            for (int j = 0; j < l; j++) {
                if (ids[r][j] < 0 || ids[r][j] >= config.vocabSize()) {
                    throw new IllegalArgumentException("CLIP input_ids[" + r + "][" + j + "] = " + ids[r][j] + " is outside the vocabulary of " + config.vocabSize());
                }
            }
        }
        return l;
    }

    @Override public void close() {
        if (owned != null) owned.close();
    }
}
