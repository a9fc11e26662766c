package org.uso4j.model.tokenizers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * transformers' slow-tokenizer added-token handling ({@code PreTrainedTokenizer.tokenize}: {@code Trie.split}
 * on the added tokens, leftmost-longest, then {@code lstrip}/{@code rstrip} of the neighbouring text for tokens
 * that ask for it; fully stripped pieces are dropped).
 */
final class SpecialTokenSplitter {
    /** An added token: its literal text, id, and whether whitespace left/right of it is stripped. */
    record Added(String content, int id, boolean lstrip, boolean rstrip) {}

    /** A piece of the split text: either an added token or ordinary text. */
    record Part(String text, Added special) {}

    private final Map<String, Added> tokens;
    private final int maxLen;

    SpecialTokenSplitter(Map<String, Added> tokens) {
        this.tokens = Map.copyOf(tokens);
        this.maxLen = tokens.keySet().stream().mapToInt(String::length).max().orElse(0);
    }

    List<Part> split(String text) {
        List<Part> parts = new ArrayList<>();
        int last = 0, i = 0;
        while (i < text.length()) {
            Added hit = null;
            for (int len = Math.min(maxLen, text.length() - i); len > 0 && hit == null; len--) {
                hit = tokens.get(text.substring(i, i + len));
            }
            if (hit == null) { i++; continue; }
            if (i > last) parts.add(new Part(text.substring(last, i), null));
            parts.add(new Part(hit.content(), hit));
            i += hit.content().length();
            last = i;
        }
        if (last < text.length()) parts.add(new Part(text.substring(last), null));
        // Strip white spaces around tokens with lstrip / rstrip (Python str.strip semantics: Unicode whitespace).
        for (int k = 0; k < parts.size(); k++) {
            Added a = parts.get(k).special();
            if (a == null) continue;
            if (a.rstrip() && k + 1 < parts.size() && parts.get(k + 1).special() == null)
                parts.set(k + 1, new Part(PyStr.lstrip(parts.get(k + 1).text()), null));
            if (a.lstrip() && k > 0 && parts.get(k - 1).special() == null)
                parts.set(k - 1, new Part(PyStr.rstrip(parts.get(k - 1).text()), null));
        }
        parts.removeIf(p -> p.special() == null && p.text().isEmpty());
        return parts;
    }
}
