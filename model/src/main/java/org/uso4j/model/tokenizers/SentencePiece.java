package org.uso4j.model.tokenizers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A sentencepiece unigram processor: {@code EncodeAsPieces} / {@code EncodeAsIds} of sentencepiece 0.1.97
 * (normalizer.cc, unigram_model.cc {@code EncodeOptimized}, sentencepiece_processor.cc
 * {@code PopulateSentencePieceText}: runs of unknown pieces merged, or split into {@code <0xXX>} byte pieces
 * when the model has byte fallback).
 */
public final class SentencePiece {
    /** One output piece: its text (UTF-8 string, '▁' for spaces) and id. */
    public record Piece(String text, int id) {}

    private static final float UNK_PENALTY = 10.0f; // unigram_model.h kUnkPenalty

    private final List<String> pieces;
    private final float[] scores;
    private final List<PieceType> types;
    private final boolean byteFallback;
    private final SentencePieceNormalizer normalizer;
    private final Map<String, Integer> vocab = new HashMap<>();   // trie content: NORMAL, USER_DEFINED, UNUSED
    private final Map<String, Integer> allIds = new HashMap<>();  // every piece, for byte pieces / lookups
    private final int maxPieceBytes;
    private final int unkId;
    private final float minScore, maxScore;

    public SentencePiece(SentencePieceModel model, String source) {
        if (model.modelType() != SentencePieceModel.UNIGRAM)
            throw new org.uso4j.core.io.CheckpointException(source + ": sentencepiece model_type " + model.modelType() + " is not unigram (1); only unigram models are supported");
        this.pieces = model.pieces();
        this.scores = model.scores().clone();
        this.types = model.types();
        this.byteFallback = model.byteFallback();
        int unk = -1, maxLen = 0;
        float min = Float.MAX_VALUE, max = Float.MIN_VALUE; // as unigram_model.cc (FLT_MAX, FLT_MIN)
        List<String> userDefined = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            String p = pieces.get(i);
            PieceType t = types.get(i);
            allIds.putIfAbsent(p, i);
            if (t == PieceType.NORMAL || t == PieceType.USER_DEFINED || t == PieceType.UNUSED) {
                // ISO-8859-1 view of the UTF-8 bytes: lets the Viterbi look pieces up by byte range.
                String key = new String(p.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
                if (vocab.putIfAbsent(key, i) != null)
                    throw new org.uso4j.core.io.CheckpointException(source + ": duplicated piece '" + p + "' (id " + i + ")");
                maxLen = Math.max(maxLen, key.length());
            }
            if (t == PieceType.USER_DEFINED) userDefined.add(p);
            if (t == PieceType.UNKNOWN) {
                if (unk >= 0) throw new org.uso4j.core.io.CheckpointException(source + ": more than one unknown piece (" + unk + ", " + i + ")");
                unk = i;
            }
            if (t == PieceType.NORMAL) {
                min = Math.min(min, scores[i]);
                max = Math.max(max, scores[i]);
            }
        }
        if (unk < 0) throw new org.uso4j.core.io.CheckpointException(source + ": sentencepiece model has no unknown piece");
        this.unkId = unk;
        this.maxPieceBytes = maxLen;
        this.minScore = min;
        this.maxScore = max;
        SentencePieceModel.NormalizerSpec ns = model.normalizer();
        PrecompiledCharsMap map = ns.precompiledCharsmap().length == 0 ? null : new PrecompiledCharsMap(ns.precompiledCharsmap(), source);
        this.normalizer = new SentencePieceNormalizer(map, ns.addDummyPrefix(), ns.removeExtraWhitespaces(), ns.escapeWhitespaces(), userDefined);
    }

    public int size() { return pieces.size(); }
    public int unkId() { return unkId; }
    public String piece(int id) { return pieces.get(id); }
    public PieceType type(int id) { return types.get(id); }

    /** Id of a piece string, or -1. */
    public int id(String piece) { return allIds.getOrDefault(piece, -1); }

    /** The normalized text the segmentation sees (spaces as '▁'). */
    public String normalize(String text) { return new String(normalizer.normalize(text), StandardCharsets.UTF_8); }

    public List<Piece> encode(String text) {
        byte[] norm = normalizer.normalize(text);
        List<Piece> out = new ArrayList<>();
        boolean prevUnk = false;
        for (int[] seg : viterbi(norm)) { // seg = {start, end, id}
            boolean isUnk = seg[2] == unkId;
            String w = new String(norm, seg[0], seg[1] - seg[0], StandardCharsets.UTF_8);
            if (isUnk && byteFallback) {
                for (int i = seg[0]; i < seg[1]; i++) {
                    String bp = String.format("<0x%02X>", norm[i] & 0xFF);
                    int bid = id(bp);
                    if (bid < 0) throw new IllegalStateException("byte-fallback model lacks piece " + bp);
                    out.add(new Piece(bp, bid));
                }
            } else if (isUnk && prevUnk) {
                // Merges continuous run of unknown pieces (they stay unknown).
                Piece last = out.removeLast();
                out.add(new Piece(last.text() + w, unkId));
            } else {
                out.add(new Piece(w, seg[2]));
            }
            prevUnk = isUnk;
        }
        return out;
    }

    public int[] encodeIds(String text) {
        return encode(text).stream().mapToInt(Piece::id).toArray();
    }

    // unigram_model.cc Model::EncodeOptimized: best path ending at each byte position, then backtrack.
    private List<int[]> viterbi(byte[] s) {
        int size = s.length;
        if (size == 0) return List.of();
        String key = new String(s, StandardCharsets.ISO_8859_1);
        float unkScore = minScore - UNK_PENALTY;
        float[] best = new float[size + 1];
        int[] startsAt = new int[size + 1];
        int[] ids = new int[size + 1];
        java.util.Arrays.fill(startsAt, -1);
        int start = 0;
        while (start < size) {
            float tillHere = best[start];
            boolean hasSingleNode = false;
            int mblen = Math.min(Utf8.oneCharLen(s[start]), size - start);
            int maxEnd = Math.min(size, start + maxPieceBytes);
            for (int end = start + 1; end <= maxEnd; end++) {
                Integer id = vocab.get(key.substring(start, end));
                if (id == null || types.get(id) == PieceType.UNUSED) continue;
                int length = end - start;
                // User defined symbol receives extra bonus to always be selected (double, as in C++).
                double score = types.get(id) == PieceType.USER_DEFINED ? (length * maxScore - 0.1) : scores[id];
                double cand = score + tillHere;
                if (startsAt[end] == -1 || cand > best[end]) {
                    best[end] = (float) cand;
                    startsAt[end] = start;
                    ids[end] = id;
                }
                if (!hasSingleNode && length == mblen) hasSingleNode = true;
            }
            if (!hasSingleNode) {
                int end = start + mblen;
                float cand = unkScore + tillHere;
                if (startsAt[end] == -1 || cand > best[end]) {
                    best[end] = cand;
                    startsAt[end] = start;
                    ids[end] = unkId;
                }
            }
            start += mblen;
        }
        List<int[]> result = new ArrayList<>();
        for (int end = size; end > 0; end = startsAt[end]) {
            if (startsAt[end] < 0) throw new IllegalStateException("sentencepiece lattice has no path to byte " + end);
            result.add(new int[]{startsAt[end], end, ids[end]});
        }
        java.util.Collections.reverse(result);
        return result;
    }
}
