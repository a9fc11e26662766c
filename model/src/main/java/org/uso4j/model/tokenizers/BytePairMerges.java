package org.uso4j.model.tokenizers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CLIP's word-level BPE (tokenization_clip.py {@code CLIPTokenizer.bpe}): the word's characters with
 * {@code </w>} appended to the last, then repeatedly merge every occurrence (left to right) of the adjacent
 * pair with the lowest merge rank until no pair has a rank.
 */
final class BytePairMerges {
    private static final int CACHE_LIMIT = 100_000;

    private final Map<String, Integer> ranks; // "first second" -> rank
    private final Map<String, List<String>> cache = new ConcurrentHashMap<>();

    BytePairMerges(Map<String, Integer> ranks) { this.ranks = Map.copyOf(ranks); }

    int size() { return ranks.size(); }

    /** The BPE symbols of one byte-level word. */
    List<String> apply(String token) {
        List<String> hit = cache.get(token);
        if (hit != null) return hit;
        List<String> word = new ArrayList<>();
        token.codePoints().forEach(cp -> word.add(Character.toString(cp)));
        word.set(word.size() - 1, word.getLast() + "</w>");
        List<String> w = word;
        while (w.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            String first = null, second = null;
            for (int i = 0; i + 1 < w.size(); i++) {
                Integer r = ranks.get(w.get(i) + " " + w.get(i + 1));
                if (r != null && r < bestRank) { bestRank = r; first = w.get(i); second = w.get(i + 1); }
            }
            if (first == null) break;
            List<String> merged = new ArrayList<>(w.size());
            for (int i = 0; i < w.size(); ) {
                if (i + 1 < w.size() && w.get(i).equals(first) && w.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i += 2;
                } else {
                    merged.add(w.get(i++));
                }
            }
            w = merged;
        }
        List<String> result = List.copyOf(w);
        if (cache.size() >= CACHE_LIMIT) cache.clear();
        cache.put(token, result);
        return result;
    }
}
