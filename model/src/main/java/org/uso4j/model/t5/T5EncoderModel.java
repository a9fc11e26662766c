package org.uso4j.model.t5;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.CheckpointException;
import org.uso4j.core.io.Checkpoints;
import org.uso4j.core.io.WeightStore;
import org.uso4j.model.nn.HfFolder;
import org.uso4j.model.nn.RmsNorm;
import org.uso4j.model.nn.Weights;

/**
 * The T5 encoder (v1.1 as USO uses it, and original T5), transformers {@code T5EncoderModel} (4.43) as USO calls it: {@code input_ids} with
 * {@code attention_mask=None}, i.e. pad tokens are attended to like any other token. Embeddings are not scaled;
 * one relative position bias (block 0's table) is shared by all blocks; attention scores are not scaled.
 *
 * <p>Loads from a Hugging Face folder (config.json + model.safetensors, a shard index such as the XXL encoder's,
 * or, once its reader lands, pytorch_model.bin), from a whole {@code T5ForConditionalGeneration} (decoder and LM
 * head skipped by an explicit rule, see {@link T5CheckpointLayout}), or from a single file without config.json
 * (ComfyUI's {@code t5xxl_fp16.safetensors}: {@link T5Config#xxl()}). Weights stay in their stored dtype.
 */
public final class T5EncoderModel implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(T5EncoderModel.class.getName());

    private final T5Config config;
    private final Backend backend;
    private final Tensor embedTokens; // shared.weight [vocab, d_model]
    private final T5RelativePositionBias relativeAttentionBias;
    private final List<T5Block> blocks;
    private final RmsNorm finalLayerNorm;
    private final String summary;
    private final Checkpoint owned;

    private T5EncoderModel(T5Config config, Backend backend, Tensor embedTokens, T5RelativePositionBias bias,
            List<T5Block> blocks, RmsNorm finalLayerNorm, String summary, Checkpoint owned) {
        this.config = config;
        this.backend = backend;
        this.embedTokens = embedTokens;
        this.relativeAttentionBias = bias;
        this.blocks = List.copyOf(blocks);
        this.finalLayerNorm = finalLayerNorm;
        this.summary = summary;
        this.owned = owned;
    }

    /**
     * Loads from a Hugging Face folder or a single weight file. The config is {@code config.json} in the folder
     * (or beside the file); a file without one is taken to be the T5 v1.1 XXL encoder ({@link T5Config#xxl()}).
     */
    public static T5EncoderModel load(Path dirOrFile, Backend backend) {
        if (dirOrFile.getFileName().toString().endsWith(".gguf")) return loadGguf(dirOrFile, backend);
        Path configJson = HfFolder.configJson(dirOrFile);
        return load(dirOrFile, configJson != null ? T5Config.read(configJson) : T5Config.xxl(), backend);
    }

    /** A llama.cpp {@code t5encoder} GGUF file: config from its key/values, tensors through {@link T5GgufLayout}. */
    public static T5EncoderModel loadGguf(Path file, Backend backend) {
        return Checkpoints.openFor(file, ckpt -> {
            if (!(ckpt instanceof org.uso4j.core.io.GgufFile g) || !T5GgufLayout.isT5Gguf(g)) {
                throw new org.uso4j.core.io.CheckpointException(file + ": not a t5encoder GGUF (general.architecture)");
            }
            return build(T5GgufLayout.toStore(g), T5GgufLayout.config(g), backend, ckpt);
        });
    }

    /** Loads with an explicit config. */
    public static T5EncoderModel load(Path dirOrFile, T5Config config, Backend backend) {
        return Checkpoints.openFor(HfFolder.weightFile(dirOrFile), ckpt -> build(new WeightStore().addAll(ckpt), config, backend, ckpt));
    }

    /** Builds the encoder from {@code store} (canonical key names), taking every tensor strictly; the caller owns it. */
    public static T5EncoderModel load(WeightStore store, T5Config config, Backend backend) {
        return build(store, config, backend, null);
    }

    private static T5EncoderModel build(WeightStore store, T5Config c, Backend backend, Checkpoint owned) {
        T5CheckpointLayout layout = T5CheckpointLayout.detect(store);
        store.adoptWith(backend::adopt);
        Weights w = new Weights(store);
        Tensor shared = embeddings(w, c);
        Weights encoder = w.at("encoder");
        Weights blockWeights = encoder.at("block");
        T5RelativePositionBias bias = new T5RelativePositionBias(blockWeights.at(0).at("layer").at(0).at("SelfAttention")
                .at("relative_attention_bias").take("weight", c.relativeAttentionNumBuckets(), c.numHeads()),
                c.relativeAttentionMaxDistance());
        List<T5Block> blocks = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) blocks.add(T5Block.load(blockWeights.at(i), c));
        RmsNorm finalLayerNorm = new RmsNorm(encoder.at("final_layer_norm").take("weight", c.dModel()), c.layerNormEpsilon());
        layout.skipForeign(store);
        store.requireAllUsed("T5 encoder");
        String summary = store.summary("T5 encoder (" + layout + ", " + c.numLayers() + " layers, d_model " + c.dModel() + ")");
        LOG.log(System.Logger.Level.DEBUG, summary);  // callers report it with the load time
        return new T5EncoderModel(c, backend, shared, bias, blocks, finalLayerNorm, summary, owned);
    }

    /**
     * {@code shared.weight}; {@code encoder.embed_tokens.weight} is the same tied tensor: older checkpoints store
     * both (they must then be identical), some only the latter.
     */
    private static Tensor embeddings(Weights w, T5Config c) {
        int v = c.vocabSize(), d = c.dModel();
        Weights sharedWeights = w.at("shared"), embedTokens = w.at("encoder").at("embed_tokens");
        if (!sharedWeights.has("weight")) return embedTokens.take("weight", v, d);
        Tensor shared = sharedWeights.takeHost("weight", v, d);
        if (embedTokens.has("weight")) {
            Tensor tied = embedTokens.takeHost("weight", v, d);
            if (tied.dtype() != shared.dtype() || tied.segment().mismatch(shared.segment()) != -1) {
                throw new CheckpointException("'" + embedTokens.key("weight") + "' differs from '" + sharedWeights.key("weight") + "': "
                        + "the encoder's token embedding is tied to the shared one and must be identical");
            }
        }
        return w.adopt(shared);
    }

    public T5Config config() { return config; }

    public String summary() { return summary; }

    /** last_hidden_state [B, L, d_model] for token ids [B][L] (all rows the same length, no attention mask). */
    public Tensor encode(long[][] inputIds) {
        return run(inputIds, null);
    }

    /** last_hidden_state plus every hidden state (as {@code output_hidden_states=True}). */
    public T5EncoderOutput forward(long[][] inputIds) {
        List<Tensor> hiddenStates = new ArrayList<>();
        Tensor last = run(inputIds, hiddenStates);
        hiddenStates.add(last);
        return new T5EncoderOutput(last, hiddenStates);
    }

    /** T5Stack.forward; collects the input of every block into {@code hiddenStates} when it is not null. */
    private Tensor run(long[][] inputIds, List<Tensor> hiddenStates) {
        int b = inputIds.length, l = checkIds(inputIds);
        long[] flat = new long[b * l];
        for (int i = 0; i < b; i++) System.arraycopy(inputIds[i], 0, flat, i * l, l);
        Tensor h = backend.embedding(embedTokens, flat).reshape(b, l, config.dModel()); // inputs_embeds, no scaling
        Tensor positionBias = relativeAttentionBias.forward(backend, l, l);             // [1, H, L, L], shared by all blocks
        for (T5Block block : blocks) {
            if (hiddenStates != null) hiddenStates.add(h);
            h = block.forward(backend, h, positionBias);
        }
        return finalLayerNorm.forward(backend, h);
    }

    private int checkIds(long[][] ids) {
        if (ids.length == 0 || ids[0].length == 0) throw new IllegalArgumentException("T5 input_ids must be [B >= 1][L >= 1]");
        int l = ids[0].length;
        for (int r = 0; r < ids.length; r++) {
            if (ids[r].length != l) throw new IllegalArgumentException("T5 input_ids row " + r + " has " + ids[r].length + " ids, row 0 has " + l);
            for (int j = 0; j < l; j++) {
                if (ids[r][j] < 0 || ids[r][j] >= config.vocabSize()) {
                    throw new IllegalArgumentException("T5 input_ids[" + r + "][" + j + "] = " + ids[r][j] + " is outside the vocabulary of " + config.vocabSize());
                }
            }
        }
        return l;
    }

    @Override public void close() {
        if (owned != null) owned.close();
    }
}
