package org.uso4j.pipeline.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.metrics.clip.ClipModel;
import org.uso4j.model.metrics.clip.OpenAiClipTokenizer;
import org.uso4j.model.metrics.csd.CsdModel;
import org.uso4j.model.metrics.dino.DinoModel;
import org.uso4j.pipeline.image.RgbImage;

/**
 * The metric networks an evaluation needs, each optional (only those of the requested tasks are loaded), with
 * the per-image feature functions of the protocol: CLIP image and text features (CLIP-I, CLIP-T), DINO CLS
 * features, CSD style descriptors. Images go through {@link MetricTransform#clip()} (CLIP, CSD) or
 * {@link MetricTransform#dino()}.
 */
public final class MetricModels implements AutoCloseable {
    private final ClipModel clip;
    private final OpenAiClipTokenizer tokenizer;
    private final DinoModel dino;
    private final CsdModel csd;
    private final MetricTransform clipTransform = MetricTransform.clip();
    private final MetricTransform dinoTransform = MetricTransform.dino();

    public MetricModels(ClipModel clip, OpenAiClipTokenizer tokenizer, DinoModel dino, CsdModel csd) {
        if ((clip == null) != (tokenizer == null)) throw new IllegalArgumentException("CLIP needs both its weights and its tokenizer");
        this.clip = clip;
        this.tokenizer = tokenizer;
        this.dino = dino;
        this.csd = csd;
    }

    /**
     * Loads the models whose paths are non-null. {@code clipVocab} is OpenAI's {@code bpe_simple_vocab_16e6.txt.gz}
     * (or a Hugging Face tokenizer folder).
     */
    public static MetricModels load(Path clipWeights, Path clipVocab, Path dinoWeights, Path csdWeights, Backend backend) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            ClipModel clip = clipWeights == null ? null : add(opened, ClipModel.load(clipWeights, backend));
            OpenAiClipTokenizer tok = clip == null ? null : OpenAiClipTokenizer.load(clipVocab, clip.config().contextLength());
            DinoModel dino = dinoWeights == null ? null : add(opened, DinoModel.load(dinoWeights, backend));
            CsdModel csd = csdWeights == null ? null : add(opened, CsdModel.load(csdWeights, backend));
            return new MetricModels(clip, tok, dino, csd);
        } catch (RuntimeException e) {
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static <T extends AutoCloseable> T add(List<AutoCloseable> opened, T t) {
        opened.add(t);
        return t;
    }

    public boolean hasClip() { return clip != null; }
    public boolean hasDino() { return dino != null; }
    public boolean hasCsd() { return csd != null; }

    public ClipModel clip() { return require(clip, "CLIP"); }
    public OpenAiClipTokenizer tokenizer() { return require(tokenizer, "CLIP tokenizer"); }
    public DinoModel dino() { return require(dino, "DINO"); }
    public CsdModel csd() { return require(csd, "CSD"); }

    private static <T> T require(T t, String what) {
        if (t == null) throw new IllegalStateException(what + " was not loaded");
        return t;
    }

    /** What the loaded models are (their load summaries): part of every cached result's fingerprint. */
    public String identity() {
        return (clip == null ? "" : clip.summary()) + "\n" + (dino == null ? "" : dino.summary()) + "\n" + (csd == null ? "" : csd.summary());
    }

    /** CLIP image features [embed_dim] (CLIP-I, CLIP-T), from the CLIP transform. */
    public float[] clipImage(RgbImage image) { return row(clip().encodeImage(batch(clipTransform.apply(image)))); }

    /** CLIP text features [embed_dim] of {@code clip.tokenize(prompt, truncate=True)}. */
    public float[] clipText(String prompt) { return row(clip().encodeText(new long[][]{tokenizer().tokenize(prompt)})); }

    /** DINO CLS features [D], from the DINO transform. */
    public float[] dinoImage(RgbImage image) { return row(dino().forward(batch(dinoTransform.apply(image))).cls()); }

    /** CSD style descriptor [dim] (unit length), from the CLIP transform. */
    public float[] csdStyle(RgbImage image) { return row(csd().forward(batch(clipTransform.apply(image))).style()); }

    /** [3, H, W] → [1, 3, H, W]. */
    static Tensor batch(Tensor chw) { return chw.reshape(1, chw.dim(0), chw.dim(1), chw.dim(2)); }

    private static float[] row(Tensor t) { return t.toF32().floats().clone(); }

    @Override public void close() {
        if (clip != null) clip.close();
        if (dino != null) dino.close();
        if (csd != null) csd.close();
    }
}
