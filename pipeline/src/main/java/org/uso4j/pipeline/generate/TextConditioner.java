package org.uso4j.pipeline.generate;

import java.nio.file.Files;
import java.nio.file.Path;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.clip.ClipTextModel;
import org.uso4j.model.t5.T5EncoderModel;
import org.uso4j.model.tokenizers.BundledTokenizers;
import org.uso4j.model.tokenizers.ClipTokenizer;
import org.uso4j.model.tokenizers.T5Tokenizer;

/**
 * The two text encoders of {@code prepare_multi_ip} (USO's {@code HFEmbedder}s): T5 {@code last_hidden_state} for 512
 * padded tokens without attention mask → {@code txt}, CLIP {@code pooler_output} for 77 tokens → {@code vec}.
 * Tokenizer files are read next to the weights, or the bundled copies are used (single-file ComfyUI encoders).
 */
final class TextConditioner implements AutoCloseable {
    /** USO's HFEmbedder max_length for T5 (CLIP uses its 77). */
    static final int T5_MAX_LENGTH = 512;

    private final T5Tokenizer t5Tokenizer;
    private final ClipTokenizer clipTokenizer;
    private final T5EncoderModel t5;
    private final ClipTextModel clip;

    private TextConditioner(T5Tokenizer t5Tokenizer, ClipTokenizer clipTokenizer, T5EncoderModel t5, ClipTextModel clip) {
        this.t5Tokenizer = t5Tokenizer;
        this.clipTokenizer = clipTokenizer;
        this.t5 = t5;
        this.clip = clip;
    }

    static TextConditioner load(Path t5Path, Path clipPath, Backend be) {
        T5Tokenizer t5Tok = Files.isRegularFile(folder(t5Path).resolve("spiece.model")) ? T5Tokenizer.load(folder(t5Path))
                : t5Path.getFileName().toString().endsWith(".gguf") ? ggufTokenizer(t5Path) : BundledTokenizers.t5();
        ClipTokenizer clipTok = Files.isRegularFile(folder(clipPath).resolve("vocab.json")) ? ClipTokenizer.load(folder(clipPath)) : BundledTokenizers.clip();
        T5EncoderModel t5 = T5EncoderModel.load(t5Path, be);
        try {
            return new TextConditioner(t5Tok, clipTok, t5, ClipTextModel.load(clipPath, be));
        } catch (RuntimeException e) {
            t5.close();
            throw e;
        }
    }

    private static T5Tokenizer ggufTokenizer(Path file) {
        try (org.uso4j.core.io.GgufFile g = org.uso4j.core.io.GgufFile.open(file)) {
            return org.uso4j.model.t5.T5GgufLayout.tokenizer(g);
        }
    }

    private static Path folder(Path p) { return Files.isDirectory(p) ? p : p.toAbsolutePath().getParent(); }

    /** {txt [1, 512, d_model], vec [1, clip width]}. */
    Tensor[] encode(String prompt, GenerationTrace trace) {
        long[] t5Ids = t5Tokenizer.encode(prompt, T5_MAX_LENGTH).inputIdsLong();
        long[] clipIds = clipTokenizer.encode(prompt).inputIdsLong();
        trace.tensor("t5.input_ids", ids(t5Ids));
        trace.tensor("clip.input_ids", ids(clipIds));
        Tensor txt = t5.encode(new long[][]{t5Ids});
        Tensor vec = clip.pooled(new long[][]{clipIds});
        trace.tensor("txt", txt);
        trace.tensor("vec", vec);
        return new Tensor[]{txt, vec};
    }

    private static Tensor ids(long[] ids) {
        float[] f = new float[ids.length];
        for (int i = 0; i < ids.length; i++) f[i] = ids[i];
        return Tensor.wrap(f, 1, ids.length);
    }

    /** One line per encoder file. */
    String summary() { return t5.summary() + "\n" + clip.summary(); }

    @Override public void close() {
        t5.close();
        clip.close();
    }
}
