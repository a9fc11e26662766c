package org.uso4j.pipeline.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.tokenizers.ClipTokenizer;
import org.uso4j.model.tokenizers.Encoding;
import org.uso4j.model.tokenizers.SentencePiece;
import org.uso4j.model.tokenizers.T5Tokenizer;
import org.uso4j.model.tokenizers.T5TokenizerConfig;

/**
 * The {@code tokenizers} golden case: every {@code *_tokenizer_golden.json} in the folder (CLIP and/or T5),
 * each prompt's tokens, untruncated ids and padded {@code input_ids} checked exactly; for T5 also plain
 * sentencepiece pieces/ids and the {@code legacy} / {@code non_legacy} variants. The vocabulary files are
 * found next to the JSON (a sub-folder holding every file listed in {@code vocab_files}) and their md5 checked.
 */
public final class TokenizerCaseRunner implements CaseRunner {
    private static final String SUFFIX = "_tokenizer_golden.json";

    @Override public boolean handles(GoldenCase c) { return !goldens(c.dir()).isEmpty(); }

    @Override public void run(GoldenCase c, Backend backend, VerifyReport report) throws Exception {
        for (Path file : goldens(c.dir())) {
            JsonNode g = new ObjectMapper().readTree(file.toFile());
            String kind = file.getFileName().toString().replace(SUFFIX, "");
            Path vocabDir = vocabDir(c.dir(), kind, g.path("vocab_files"));
            if (vocabDir == null) {
                report.cannotRun(kind, "no folder under " + c.dir() + " holds " + g.path("vocab_files"));
                continue;
            }
            for (var e : GoldenCase.fields(g.path("vocab_files")))
                report.check(kind + "/md5/" + e.getKey(), md5(vocabDir.resolve(e.getKey())).equals(e.getValue().asText()), "md5 of " + vocabDir.resolve(e.getKey()));
            String tokenizerClass = g.path("tokenizer").asText();
            if (tokenizerClass.contains("CLIPTokenizer") || kind.equals("clip")) runClip(kind, g, ClipTokenizer.load(vocabDir), report);
            else if (tokenizerClass.contains("T5Tokenizer") || kind.equals("t5")) runT5(kind, g, vocabDir, report);
            else report.cannotRun(kind, file + ": unknown tokenizer '" + tokenizerClass + "'");
        }
    }

    private static void runClip(String kind, JsonNode g, ClipTokenizer tok, VerifyReport report) {
        int max = g.path("max_length").asInt(tok.maxLength());
        checkId(report, kind + "/bos_id", tok.bosId(), g.path("bos_id"));
        checkId(report, kind + "/eos_id", tok.eosId(), g.path("eos_id"));
        checkId(report, kind + "/pad_id", tok.padId(), g.path("pad_id"));
        for (JsonNode c : g.path("cases")) {
            String name = kind + "/" + c.path("id").asText();
            String text = c.path("text").asText();
            if (c.has("normalized_text")) {
                String norm = ClipTokenizer.normalize(text);
                report.check(name + "/normalized_text", norm.equals(c.get("normalized_text").asText()), "got '" + norm + "'");
            }
            checkEncoding(report, name, tok.encode(text, max), c);
        }
    }

    private static void runT5(String kind, JsonNode g, Path dir, VerifyReport report) {
        Path spm = dir.resolve("spiece.model");
        T5TokenizerConfig base = T5TokenizerConfig.uso().withMaxLength(g.path("max_length").asInt(512));
        T5Tokenizer legacy = T5Tokenizer.fromSpieceModel(spm, base.withLegacy(true));
        T5Tokenizer nonLegacy = T5Tokenizer.fromSpieceModel(spm, base.withLegacy(false));
        checkId(report, kind + "/eos_id", legacy.eosId(), g.path("eos_id"));
        checkId(report, kind + "/pad_id", legacy.padId(), g.path("pad_id"));
        checkId(report, kind + "/unk_id", legacy.sentencePiece().unkId(), g.path("unk_id"));
        for (JsonNode c : g.path("cases")) {
            String name = kind + "/" + c.path("id").asText();
            String text = c.path("text").asText();
            List<SentencePiece.Piece> pieces = legacy.sentencePiece().encode(text);
            if (c.has("sentencepiece_pieces"))
                checkTokens(report, name + "/sentencepiece_pieces", pieces.stream().map(SentencePiece.Piece::text).toList(), c.get("sentencepiece_pieces"));
            if (c.has("sentencepiece_encode"))
                report.exact(name + "/sentencepiece_encode", longs(pieces.stream().mapToInt(SentencePiece.Piece::id).toArray()), longs(c.get("sentencepiece_encode")));
            if (c.has("legacy")) checkEncoding(report, name + "/legacy", legacy.encode(text), c.get("legacy"));
            if (c.has("non_legacy")) checkEncoding(report, name + "/non_legacy", nonLegacy.encode(text), c.get("non_legacy"));
        }
    }

    private static void checkEncoding(VerifyReport report, String name, Encoding e, JsonNode expected) {
        if (expected.has("tokens")) checkTokens(report, name + "/tokens", e.tokens(), expected.get("tokens"));
        if (expected.has("ids_untruncated")) report.exact(name + "/ids_untruncated", longs(e.idsUntruncated()), longs(expected.get("ids_untruncated")));
        if (expected.has("n_ids_untruncated"))
            report.check(name + "/n_ids_untruncated", e.idsUntruncated().length == expected.get("n_ids_untruncated").asInt(), "got " + e.idsUntruncated().length);
        if (expected.has("truncated"))
            report.check(name + "/truncated", e.truncated() == expected.get("truncated").asBoolean(), "got " + e.truncated());
        if (expected.has("input_ids")) report.exact(name + "/input_ids", longs(e.inputIds()), longs(expected.get("input_ids")));
        if (expected.has("attention_mask")) report.exact(name + "/attention_mask", longs(e.attentionMask()), longs(expected.get("attention_mask")));
    }

    private static void checkTokens(VerifyReport report, String name, List<String> actual, JsonNode expected) {
        List<String> exp = new ArrayList<>();
        expected.forEach(n -> exp.add(n.asText()));
        int d = 0;
        while (d < Math.min(actual.size(), exp.size()) && actual.get(d).equals(exp.get(d))) d++;
        boolean ok = actual.equals(exp);
        report.check(name, ok, ok ? "" : "first difference at " + d + ": got " + (d < actual.size() ? "'" + actual.get(d) + "'" : "end")
                + ", expected " + (d < exp.size() ? "'" + exp.get(d) + "'" : "end"));
    }

    private static void checkId(VerifyReport report, String name, int actual, JsonNode expected) {
        if (expected.isInt()) report.check(name, actual == expected.asInt(), "got " + actual + ", expected " + expected.asInt());
    }

    private static long[] longs(int[] a) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i];
        return r;
    }

    private static long[] longs(JsonNode a) {
        long[] r = new long[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).asLong();
        return r;
    }

    private static List<Path> goldens(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** {@code dir/kind}, {@code dir} or any sub-folder holding every listed vocabulary file. */
    private static Path vocabDir(Path dir, String kind, JsonNode vocabFiles) throws IOException {
        List<Path> candidates = new ArrayList<>(List.of(dir.resolve(kind), dir));
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isDirectory).sorted().forEach(candidates::add);
        }
        for (Path d : candidates) {
            boolean all = vocabFiles.size() > 0;
            for (var e : GoldenCase.fields(vocabFiles)) all &= Files.isRegularFile(d.resolve(e.getKey()));
            if (all) return d;
        }
        return null;
    }

    private static String md5(Path f) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(f)));
        } catch (Exception e) {
            return "unreadable: " + e.getMessage();
        }
    }
}
