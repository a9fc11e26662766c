package org.uso4j.model.metrics.dino;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.CheckpointException;
import org.uso4j.core.io.Checkpoints;
import org.uso4j.core.io.WeightStore;
import org.uso4j.model.nn.HfConfigFields;
import org.uso4j.model.nn.HfFolder;
import org.uso4j.model.nn.LayerNorm;
import org.uso4j.model.nn.Weights;

/**
 * DINO v1 ViT (facebookresearch/dino vision_transformer.py {@code VisionTransformer.forward} @ 7c446df5) for the
 * DINO metric: patch_embed (conv, stride = patch; leftover pixels ignored), cls_token, position table (bicubic-
 * interpolated for other sizes, {@link PosEmbedInterpolation}), the blocks, norm, the class token.
 */
public final class DinoModel implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DinoModel.class.getName());

    private final DinoConfig config;
    private final Backend backend;
    private final Tensor patchWeight, patchBias; // [D, 3, p, p], [D]
    private final Tensor clsToken;              // [1, 1, D] float32
    private final Tensor posEmbed;              // [1+N, D] float32
    private final List<DinoBlock> blocks;
    private final LayerNorm norm;
    private final String summary;
    private final Checkpoint owned;

    private DinoModel(DinoConfig config, Backend backend, Tensor patchWeight, Tensor patchBias, Tensor clsToken, Tensor posEmbed,
            List<DinoBlock> blocks, LayerNorm norm, String summary, Checkpoint owned) {
        this.config = config;
        this.backend = backend;
        this.patchWeight = patchWeight;
        this.patchBias = patchBias;
        this.clsToken = clsToken;
        this.posEmbed = posEmbed;
        this.blocks = List.copyOf(blocks);
        this.norm = norm;
        this.summary = summary;
        this.owned = owned;
    }

    /** Loads {@code dino_deitsmall16_pretrain.pth} (or any DINO / HF ViTModel file), heads from a config.json beside it if present. */
    public static DinoModel load(Path dirOrFile, Backend backend) {
        return Checkpoints.openFor(dirOrFile, ckpt -> {
            DinoLayout layout = DinoLayout.detect(ckpt);
            WeightStore store = layout.canonical(ckpt);
            OptionalInt heads = OptionalInt.empty();
            Path cj = HfFolder.configJson(dirOrFile);
            if (cj != null) heads = heads(cj);
            DinoConfig config;
            try {
                config = DinoConfig.fromWeights(store, heads, 1e-6f); // DINO's LayerNorm(eps=1e-6) whatever the layout
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(ckpt.source() + ": " + e.getMessage(), e);
            }
            return build(store, config, backend, layout + " " + ckpt.source(), ckpt);
        });
    }

    /** Builds from canonical (DINO-named) tensors; the caller owns the store's files. */
    public static DinoModel load(WeightStore store, DinoConfig config, Backend backend) {
        return build(store, config, backend, "given weights", null);
    }

    private static DinoModel build(WeightStore store, DinoConfig c, Backend backend, String from, Checkpoint owned) {
        store.adoptWith(backend::adopt);
        Weights w = new Weights(store);
        int d = c.embedDim(), p = c.patchSize(), n = c.grid() * c.grid();
        Weights pe = w.at("patch_embed").at("proj");
        Tensor pw = pe.take("weight", d, 3, p, p), pb = pe.take("bias", d);
        Tensor cls = w.adopt(w.takeHost("cls_token", 1, 1, d).toF32());
        Tensor pos = w.adopt(w.takeHost("pos_embed", 1, 1 + n, d).toF32().reshape(1 + n, d));
        List<DinoBlock> blocks = new ArrayList<>();
        for (int i = 0; i < c.depth(); i++) blocks.add(DinoBlock.load(w.at("blocks").at(i), c));
        LayerNorm norm = LayerNorm.load(w.at("norm"), d, c.layerNormEps());
        store.requireAllUsed("DINO ViT");
        String summary = store.summary("DINO ViT (" + from + ": " + d + " wide, " + c.depth() + " blocks, " + c.numHeads()
                + " heads, patch " + p + ", table " + c.grid() + "x" + c.grid() + ")");
        LOG.log(System.Logger.Level.DEBUG, summary);  // callers report it with the load time
        return new DinoModel(c, backend, pw, pb, cls, pos, blocks, norm, summary, owned);
    }

    public DinoConfig config() { return config; }

    public String summary() { return summary; }

    /** x [B, 3, H, W] (normalised pixels, H and W ≥ patch) → CLS features and the added position table. */
    public DinoOutput forward(Tensor x) {
        Backend be = backend;
        if (x.rank() != 4 || x.dim(1) != 3 || x.dim(2) < config.patchSize() || x.dim(3) < config.patchSize()) {
            throw new IllegalArgumentException("DINO input must be [B, 3, H, W] with H, W >= " + config.patchSize() + ", got " + x.shape());
        }
        int b = x.dim(0), h = x.dim(2), w = x.dim(3), d = config.embedDim();
        x = x.toF32();
        // prepare_tokens
        Tensor t = be.conv2d(x, patchWeight, patchBias, config.patchSize(), new int[]{0, 0, 0, 0}); // [B, D, gh, gw]
        int gh = t.dim(2), gw = t.dim(3);
        t = be.permute(t.reshape(b, d, gh * gw), 0, 2, 1);                                        // [B, gh*gw, D]
        t = be.concat(1, List.of(be.concat(0, Collections.nCopies(b, clsToken)), t));
        Tensor pos = interpolatePosEncoding(gh, gw, h, w);                                          // [1+gh*gw, D]
        t = be.add(t, pos);
        for (DinoBlock block : blocks) t = block.forward(be, t);
        Tensor cls = norm.forward(be, be.slice(t, 1, 0, 1).reshape(b, d));
        return new DinoOutput(cls, pos.reshape(1, 1 + gh * gw, d));
    }

    /** {@code interpolate_pos_encoding}: the stored table when the grid matches and the input is square in pixels. */
    Tensor interpolatePosEncoding(int gh, int gw, int h, int w) {
        int n = config.grid();
        if (gh * gw == n * n && h == w) return posEmbed;
        Tensor classPos = backend.slice(posEmbed, 0, 0, 1);
        Tensor patchPos = backend.slice(posEmbed, 0, 1, 1 + n * n);                        // [n*n, D]
        Tensor resized = backend.matmul(PosEmbedInterpolation.matrix(n, gh, gw), patchPos, false); // [gh*gw, D]
        return backend.concat(0, List.of(classPos, resized));
    }

    /** {@code num_heads} (DINO constructor keyword) or {@code num_attention_heads} (transformers ViTConfig). */
    private static OptionalInt heads(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
        }
        return HfConfigFields.positiveInteger(root, List.of("num_heads", "num_attention_heads"), file);
    }

    @Override public void close() {
        if (owned != null) owned.close();
    }
}
