package org.uso4j.model.tokenizers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.uso4j.core.io.CheckpointException;

/**
 * The parts of a sentencepiece {@code ModelProto} (sentencepiece_model.proto) that encoding needs: the
 * pieces with score and type, the trainer's model type / byte fallback / special ids, and the normalizer spec.
 *
 * @param pieces      piece strings, index = id
 * @param scores      log-probability scores (unigram) or merge priorities (BPE)
 * @param types       piece types
 * @param modelType   TrainerSpec.model_type: 1 unigram, 2 BPE, 3 word, 4 char
 * @param byteFallback TrainerSpec.byte_fallback
 * @param normalizer  NormalizerSpec (field 3)
 */
public record SentencePieceModel(List<String> pieces, float[] scores, List<PieceType> types, int modelType,
                                 boolean byteFallback, NormalizerSpec normalizer) {
    public static final int UNIGRAM = 1;

    /**
     * NormalizerSpec: {@code name} (e.g. "nmt_nfkc"), {@code precompiled_charsmap} (may be empty = identity),
     * {@code add_dummy_prefix}, {@code remove_extra_whitespaces}, {@code escape_whitespaces}; proto defaults true.
     */
    public record NormalizerSpec(String name, byte[] precompiledCharsmap, boolean addDummyPrefix,
                                 boolean removeExtraWhitespaces, boolean escapeWhitespaces) {}

    public SentencePieceModel {
        if (pieces.size() != scores.length || pieces.size() != types.size())
            throw new IllegalArgumentException("pieces/scores/types lengths differ: " + pieces.size() + "/" + scores.length + "/" + types.size());
        pieces = List.copyOf(pieces);
        types = List.copyOf(types);
    }

    public int size() { return pieces.size(); }

    public static SentencePieceModel read(Path file) {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read sentencepiece model: " + e.getMessage(), e);
        }
        return parse(data, file.toString());
    }

    /** Parses a serialized {@code ModelProto}; {@code source} names it in errors. */
    public static SentencePieceModel parse(byte[] data, String source) {
        List<String> pieces = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        List<PieceType> types = new ArrayList<>();
        int modelType = UNIGRAM;
        boolean byteFallback = false;
        NormalizerSpec norm = new NormalizerSpec("", new byte[0], true, true, true);
        ProtoReader r = new ProtoReader(data, 0, data.length, source);
        while (r.next()) {
            switch (r.field()) {
                case 1 -> { // repeated SentencePiece pieces { piece = 1; score = 2; type = 3 [default NORMAL] }
                    ProtoReader p = r.message();
                    String piece = null;
                    float score = 0;
                    PieceType type = PieceType.NORMAL;
                    while (p.next()) {
                        switch (p.field()) {
                            case 1 -> piece = p.string();
                            case 2 -> score = p.float32();
                            case 3 -> type = PieceType.of(p.int32(), source + ": piece " + pieces.size());
                            default -> p.skip();
                        }
                    }
                    if (piece == null) throw new CheckpointException(source + ": piece " + pieces.size() + " has no text");
                    pieces.add(piece);
                    scores.add(score);
                    types.add(type);
                }
                case 2 -> { // TrainerSpec: model_type = 3, byte_fallback = 35
                    ProtoReader t = r.message();
                    while (t.next()) {
                        switch (t.field()) {
                            case 3 -> modelType = t.int32();
                            case 35 -> byteFallback = t.bool();
                            default -> t.skip();
                        }
                    }
                }
                case 3 -> norm = parseNormalizer(r.message());
                default -> r.skip();
            }
        }
        if (pieces.isEmpty()) throw new CheckpointException(source + ": sentencepiece model has no pieces");
        float[] s = new float[scores.size()];
        for (int i = 0; i < s.length; i++) s[i] = scores.get(i);
        return new SentencePieceModel(pieces, s, types, modelType, byteFallback, norm);
    }

    private static NormalizerSpec parseNormalizer(ProtoReader n) {
        String name = "";
        byte[] charsmap = new byte[0];
        boolean dummy = true, removeWs = true, escapeWs = true;
        while (n.next()) {
            switch (n.field()) {
                case 1 -> name = n.string();
                case 2 -> charsmap = n.bytes();
                case 3 -> dummy = n.bool();
                case 4 -> removeWs = n.bool();
                case 5 -> escapeWs = n.bool();
                default -> n.skip();
            }
        }
        return new NormalizerSpec(name, charsmap, dummy, removeWs, escapeWs);
    }
}
