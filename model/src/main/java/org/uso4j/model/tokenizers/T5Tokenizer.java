package org.uso4j.model.tokenizers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.uso4j.core.io.CheckpointException;

/**
 * transformers' slow {@code T5Tokenizer} (tokenization_t5.py, 4.43) over a sentencepiece unigram model:
 * split on {@code </s> <pad> <unk> <extra_id_N>} (whitespace next to an extra id stripped), sentencepiece on
 * the rest, truncate to {@code max_length - 1}, append eos unless already last, pad with pad id.
 */
public final class T5Tokenizer {
    private static final String SPIECE_UNDERLINE = "\u2581";

    private final SentencePiece sp;
    private final T5TokenizerConfig config;
    private final SpecialTokenSplitter splitter;
    private final Map<String, Integer> specialIds;
    private final int eosId, padId, unkId;
    private final int unkTokenLength; // non-legacy: len(sp.encode("<unk>")) with the dummy prefix off

    /**
     * @param model   sentencepiece model; for {@code legacy=false} its dummy prefix is switched off, as
     *                transformers' {@code get_spm_processor} does
     * @param spSize  the sentencepiece vocabulary size that extra ids count from (32000 for T5)
     */
    public T5Tokenizer(SentencePieceModel model, int spSize, T5TokenizerConfig config, String source) {
        this.config = config;
        SentencePieceModel m = model;
        if (!config.legacy()) {
            var n = model.normalizer();
            m = new SentencePieceModel(model.pieces(), model.scores(), model.types(), model.modelType(), model.byteFallback(),
                    new SentencePieceModel.NormalizerSpec(n.name(), n.precompiledCharsmap(), false, n.removeExtraWhitespaces(), n.escapeWhitespaces()));
        }
        this.sp = new SentencePiece(m, source);
        this.eosId = requirePiece("</s>", source);
        this.padId = requirePiece("<pad>", source);
        this.unkId = sp.unkId();
        if (spSize < 1 || spSize > sp.size()) throw new CheckpointException(source + ": sentencepiece size " + spSize + " outside 1.." + sp.size());
        Map<String, SpecialTokenSplitter.Added> added = new HashMap<>();
        for (String t : new String[]{"</s>", "<pad>", sp.piece(unkId)}) added.put(t, new SpecialTokenSplitter.Added(t, sp.id(t), false, false));
        for (int k = 0; k < config.extraIds(); k++) {
            String t = "<extra_id_" + k + ">";
            added.put(t, new SpecialTokenSplitter.Added(t, spSize - 1 + config.extraIds() - k, true, true));
        }
        this.splitter = new SpecialTokenSplitter(added);
        Map<String, Integer> ids = new HashMap<>();
        added.forEach((k, v) -> ids.put(k, v.id()));
        this.specialIds = Map.copyOf(ids);
        this.unkTokenLength = sp.encode(sp.piece(unkId)).size();
    }

    private int requirePiece(String p, String source) {
        int id = sp.id(p);
        if (id < 0) throw new CheckpointException(source + ": sentencepiece model has no '" + p + "' piece");
        return id;
    }

    /** Loads {@code spiece.model} and, when present, {@code tokenizer_config.json} from a tokenizer folder. */
    public static T5Tokenizer load(Path dir) {
        Path spm = dir.resolve("spiece.model");
        if (!Files.isRegularFile(spm)) throw new CheckpointException(dir + ": no spiece.model");
        T5TokenizerConfig cfg = T5TokenizerConfig.uso();
        Path tc = dir.resolve("tokenizer_config.json");
        if (Files.isRegularFile(tc)) {
            try {
                JsonNode j = new ObjectMapper().readTree(tc.toFile());
                boolean legacy = !j.hasNonNull("legacy") || j.get("legacy").asBoolean(true);
                boolean prefix = !j.has("add_prefix_space") || j.get("add_prefix_space").asBoolean(true);
                int extra = j.path("extra_ids").asInt(100);
                JsonNode ml = j.path("model_max_length");
                int max = ml.isInt() && ml.asInt() > 0 && ml.asInt() <= 1_000_000 ? ml.asInt() : cfg.maxLength();
                cfg = new T5TokenizerConfig(legacy, prefix, extra, max);
            } catch (IOException e) {
                throw new CheckpointException(tc + ": cannot read: " + e.getMessage(), e);
            }
        }
        return fromSpieceModel(spm, cfg);
    }

    public static T5Tokenizer fromSpieceModel(Path spieceModel, T5TokenizerConfig config) {
        SentencePieceModel m = SentencePieceModel.read(spieceModel);
        return new T5Tokenizer(m, m.size(), config, spieceModel.toString());
    }

    /**
     * From a GGUF vocabulary ({@code tokenizer.ggml.tokens / scores / token_type / precompiled_charsmap /
     * add_space_prefix / remove_extra_whitespaces}). Trailing unused {@code [PADnnnnn]} entries (llama.cpp pads
     * the vocab to 32128) are not sentencepiece pieces: extra ids count from the last real piece.
     */
    public static T5Tokenizer fromGgufVocab(String[] tokens, float[] scores, int[] tokenTypes, byte[] precompiledCharsmap,
                                            boolean addSpacePrefix, boolean removeExtraWhitespaces, T5TokenizerConfig config, String source) {
        if (tokens.length != scores.length || tokens.length != tokenTypes.length)
            throw new CheckpointException(source + ": tokenizer.ggml tokens/scores/token_type lengths differ: " + tokens.length + "/" + scores.length + "/" + tokenTypes.length);
        List<PieceType> types = new ArrayList<>(tokens.length);
        for (int i = 0; i < tokens.length; i++) types.add(PieceType.of(tokenTypes[i], source + ": tokenizer.ggml.token_type[" + i + "]"));
        var ns = new SentencePieceModel.NormalizerSpec("nmt_nfkc", precompiledCharsmap == null ? new byte[0] : precompiledCharsmap,
                addSpacePrefix, removeExtraWhitespaces, true);
        SentencePieceModel m = new SentencePieceModel(List.of(tokens), scores, types, SentencePieceModel.UNIGRAM, false, ns);
        int spSize = tokens.length;
        while (spSize > 1 && types.get(spSize - 1) == PieceType.UNUSED && tokens[spSize - 1].startsWith("[PAD")) spSize--;
        return new T5Tokenizer(m, spSize, config, source);
    }

    public T5TokenizerConfig config() { return config; }
    public SentencePiece sentencePiece() { return sp; }
    public int eosId() { return eosId; }
    public int padId() { return padId; }

    /** Tokens before eos (tokenization_t5.py {@code tokenize}). */
    public List<String> tokenize(String text) {
        if (config.legacy() || text.isEmpty()) return tokenizeWithSpecials(text);
        text = text.replace(SPIECE_UNDERLINE, " ");
        if (config.addPrefixSpace()) text = SPIECE_UNDERLINE + text;
        List<String> tokens = tokenizeWithSpecials(text);
        if (tokens.size() > 1 && tokens.get(0).equals(SPIECE_UNDERLINE) && specialIds.containsKey(tokens.get(1)))
            tokens = tokens.subList(1, tokens.size());
        return tokens;
    }

    // PreTrainedTokenizer.tokenize: split on added tokens, then _tokenize the rest.
    private List<String> tokenizeWithSpecials(String text) {
        List<String> out = new ArrayList<>();
        for (SpecialTokenSplitter.Part p : splitter.split(text)) {
            if (p.special() != null) out.add(p.text());
            else out.addAll(pieces(p.text()));
        }
        return out;
    }

    // T5Tokenizer._tokenize
    private List<String> pieces(String text) {
        if (config.legacy() || !(text.startsWith(SPIECE_UNDERLINE) || text.startsWith(" ")))
            return sp.encode(text).stream().map(SentencePiece.Piece::text).toList();
        // Encode "<unk>" + text, then drop the unk token's pieces (keeps a leading space meaningful).
        List<String> t = sp.encode(sp.piece(unkId) + text).stream().map(SentencePiece.Piece::text).toList();
        return t.size() >= unkTokenLength ? t.subList(unkTokenLength, t.size()) : t;
    }

    // convert_tokens_to_ids: added tokens first, then sp.piece_to_id (unknown text, e.g. a merged unk run -> unk)
    private int toId(String token) {
        Integer special = specialIds.get(token);
        if (special != null) return special;
        int id = sp.id(token);
        return id < 0 ? unkId : id;
    }

    /** Ids of {@code text} without eos, truncation or padding. */
    public int[] ids(String text) {
        return tokenize(text).stream().mapToInt(this::toId).toArray();
    }

    public Encoding encode(String text) { return encode(text, config.maxLength()); }

    /** {@code tokenizer(text, truncation=True, max_length=maxLength, padding="max_length")}. */
    public Encoding encode(String text, int maxLength) {
        if (maxLength < 1) throw new IllegalArgumentException("maxLength must be >= 1, got " + maxLength);
        List<String> tokens = tokenize(text);
        int[] ids = tokens.stream().mapToInt(this::toId).toArray();
        int[] untruncated = addEos(ids);
        // One special token (eos) is added, so the text keeps at most maxLength - 1 ids.
        int[] kept = ids.length + 1 > maxLength ? java.util.Arrays.copyOf(ids, maxLength - 1) : ids;
        int[] withEos = addEos(kept);
        int[] input = new int[maxLength], mask = new int[maxLength];
        java.util.Arrays.fill(input, padId);
        System.arraycopy(withEos, 0, input, 0, withEos.length);
        java.util.Arrays.fill(mask, 0, withEos.length, 1);
        return new Encoding(tokens, untruncated, input, mask);
    }

    // _add_eos_if_not_present
    private int[] addEos(int[] ids) {
        if (ids.length > 0 && ids[ids.length - 1] == eosId) return ids;
        int[] r = java.util.Arrays.copyOf(ids, ids.length + 1);
        r[ids.length] = eosId;
        return r;
    }
}
