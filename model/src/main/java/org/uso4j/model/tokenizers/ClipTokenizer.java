package org.uso4j.model.tokenizers;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.uso4j.core.io.CheckpointException;

/**
 * transformers' slow {@code CLIPTokenizer} (tokenization_clip.py, 4.43) with ftfy installed: split on the
 * literal {@code <|startoftext|>} / {@code <|endoftext|>}; each other piece {@code ftfy.fix_text}, whitespace
 * collapsed and stripped, lower-cased, split with CLIP's regex, byte-level BPE with {@code </w>}; then
 * {@code bos + ids[:max-2] + eos}, padded with the pad token (USO: max 77, pad = eos 49407).
 */
public final class ClipTokenizer {
    public static final String BOS = "<|startoftext|>", EOS = "<|endoftext|>";
    /** OpenAI's merges file: its first 49152 - 256 - 2 lines after the header are the merges. */
    private static final int MERGES = 49152 - 256 - 2;
    private static final Pattern PAT = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private final Map<String, Integer> vocab;
    private final BytePairMerges bpe;
    private final SpecialTokenSplitter splitter;
    private final int bosId, eosId, padId, unkId, maxLength;

    /**
     * @param vocab     token -> id (vocab.json)
     * @param merges    merge pairs in rank order, each "first second"
     * @param padToken  the pad token's text (tokenizer_config.json {@code pad_token}; CLIP-L: {@code <|endoftext|>})
     * @param maxLength truncation / padding length (77)
     */
    public ClipTokenizer(Map<String, Integer> vocab, List<String> merges, String padToken, int maxLength, String source) {
        if (maxLength < 2) throw new IllegalArgumentException("maxLength must be >= 2 (bos + eos), got " + maxLength);
        this.vocab = Map.copyOf(vocab);
        Map<String, Integer> ranks = new HashMap<>();
        for (int i = 0; i < merges.size(); i++) {
            String[] p = merges.get(i).trim().split(" +");
            if (p.length != 2) throw new CheckpointException(source + ": merge " + (i + 1) + " is not two symbols: '" + merges.get(i) + "'");
            ranks.putIfAbsent(p[0] + " " + p[1], i);
        }
        this.bpe = new BytePairMerges(ranks);
        this.bosId = require(BOS, source);
        this.eosId = require(EOS, source);
        this.unkId = eosId; // unk_token = <|endoftext|>
        this.padId = require(padToken, source);
        this.maxLength = maxLength;
        Map<String, SpecialTokenSplitter.Added> added = new HashMap<>();
        added.put(BOS, new SpecialTokenSplitter.Added(BOS, bosId, false, false));
        added.put(EOS, new SpecialTokenSplitter.Added(EOS, eosId, false, false));
        this.splitter = new SpecialTokenSplitter(added);
    }

    private int require(String token, String source) {
        Integer id = vocab.get(token);
        if (id == null) throw new CheckpointException(source + ": vocabulary has no '" + token + "'");
        return id;
    }

    /**
     * Loads a tokenizer folder: {@code vocab.json} + {@code merges.txt} (+ {@code tokenizer_config.json} for
     * {@code pad_token} / {@code model_max_length}), or OpenAI's {@code bpe_simple_vocab_16e6.txt.gz}; {@code dir}
     * may also be the .txt.gz file itself.
     */
    public static ClipTokenizer load(Path dir) {
        if (Files.isRegularFile(dir) && dir.getFileName().toString().endsWith(".gz")) return fromOpenAiBpe(dir, EOS, 77);
        Path vocabFile = dir.resolve("vocab.json"), mergesFile = dir.resolve("merges.txt");
        String pad = EOS;
        int max = 77;
        Path tc = dir.resolve("tokenizer_config.json");
        ObjectMapper json = new ObjectMapper();
        if (Files.isRegularFile(tc)) {
            try {
                JsonNode j = json.readTree(tc.toFile());
                JsonNode p = j.path("pad_token");
                if (p.isTextual()) pad = p.asText();
                else if (p.path("content").isTextual()) pad = p.path("content").asText();
                JsonNode ml = j.path("model_max_length");
                if (ml.isInt() && ml.asInt() >= 2 && ml.asInt() <= 1_000_000) max = ml.asInt();
            } catch (IOException e) {
                throw new CheckpointException(tc + ": cannot read: " + e.getMessage(), e);
            }
        }
        if (!Files.isRegularFile(vocabFile) || !Files.isRegularFile(mergesFile)) {
            Path gz = dir.resolve("bpe_simple_vocab_16e6.txt.gz");
            if (Files.isRegularFile(gz)) return fromOpenAiBpe(gz, pad, max);
            throw new CheckpointException(dir + ": no vocab.json + merges.txt and no bpe_simple_vocab_16e6.txt.gz");
        }
        Map<String, Integer> vocab;
        List<String> lines;
        try {
            vocab = json.readValue(vocabFile.toFile(), new TypeReference<Map<String, Integer>>() {});
            lines = List.of(Files.readString(mergesFile, StandardCharsets.UTF_8).strip().split("\n"));
        } catch (IOException e) {
            throw new CheckpointException(dir + ": cannot read vocab.json / merges.txt: " + e.getMessage(), e);
        }
        // merges_handle.read().strip().split("\n")[1 : 49152 - 256 - 2 + 1]
        return new ClipTokenizer(vocab, lines.subList(Math.min(1, lines.size()), Math.min(lines.size(), MERGES + 1)), pad, max, mergesFile.toString());
    }

    /** OpenAI's {@code simple_tokenizer.py}: the vocabulary is built from the merges file alone. */
    public static ClipTokenizer fromOpenAiBpe(Path gz, String padToken, int maxLength) {
        String text;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CheckpointException(gz + ": cannot read gzip BPE file: " + e.getMessage(), e);
        }
        String[] all = text.split("\n", -1);
        List<String> merges = List.of(all).subList(Math.min(1, all.length), Math.min(all.length, MERGES + 1));
        List<String> tokens = new ArrayList<>();
        for (int b : ByteLevel.ORDER) tokens.add(String.valueOf(ByteLevel.BYTE_TO_CHAR[b]));
        for (int b : ByteLevel.ORDER) tokens.add(ByteLevel.BYTE_TO_CHAR[b] + "</w>");
        for (String m : merges) tokens.add(m.trim().replace(" ", ""));
        tokens.add(BOS);
        tokens.add(EOS);
        Map<String, Integer> vocab = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) vocab.put(tokens.get(i), i);
        return new ClipTokenizer(vocab, merges, padToken, maxLength, gz.toString());
    }

    public int bosId() { return bosId; }
    public int eosId() { return eosId; }
    public int padId() { return padId; }
    public int maxLength() { return maxLength; }

    /** The text CLIP's regex sees for one piece: {@code whitespace_clean(ftfy.fix_text(text)).lower()}. */
    public static String normalize(String text) {
        String fixed = TextFixer.fixText(text);
        String cleaned = PyStr.strip(WHITESPACE.matcher(fixed).replaceAll(" "));
        return cleaned.toLowerCase(Locale.ROOT);
    }

    /** BPE tokens (no bos/eos), as {@code CLIPTokenizer.tokenize}. */
    public List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        for (SpecialTokenSplitter.Part p : splitter.split(text)) {
            if (p.special() != null) { out.add(p.text()); continue; }
            Matcher m = PAT.matcher(normalize(p.text()));
            while (m.find()) {
                String t = m.group();
                if (t.equals(BOS) || t.equals(EOS)) out.add(t); // bpe cache: specials map to themselves
                else out.addAll(bpe.apply(ByteLevel.encode(t)));
            }
        }
        return out;
    }

    private int toId(String token) { return vocab.getOrDefault(token, unkId); }

    public Encoding encode(String text) { return encode(text, maxLength); }

    /** {@code tokenizer(text, truncation=True, max_length=maxLength, padding="max_length")}. */
    public Encoding encode(String text, int maxLength) {
        if (maxLength < 2) throw new IllegalArgumentException("maxLength must be >= 2, got " + maxLength);
        List<String> tokens = tokenize(text);
        int n = tokens.size();
        int[] untruncated = new int[n + 2];
        untruncated[0] = bosId;
        for (int i = 0; i < n; i++) untruncated[i + 1] = toId(tokens.get(i));
        untruncated[n + 1] = eosId;
        int kept = Math.min(n, maxLength - 2);
        int[] ids = new int[maxLength], mask = new int[maxLength];
        java.util.Arrays.fill(ids, padId);
        System.arraycopy(untruncated, 0, ids, 0, kept + 1);
        ids[kept + 1] = eosId;
        java.util.Arrays.fill(mask, 0, kept + 2, 1);
        return new Encoding(tokens, untruncated, ids, mask);
    }
}
