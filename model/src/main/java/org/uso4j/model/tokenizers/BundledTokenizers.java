package org.uso4j.model.tokenizers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The real tokenizer files shipped inside uso4j (T5 v1.1 {@code spiece.model}; CLIP-L {@code vocab.json},
 * {@code merges.txt} and configs), for weight files that come without them (ComfyUI's single-file
 * {@code t5xxl_*.safetensors} and {@code clip_l.safetensors}).
 */
public final class BundledTokenizers {
    private static final String ROOT = "/org/uso4j/model/tokenizers/";
    private static Path extracted;

    private BundledTokenizers() {}

    public static T5Tokenizer t5() { return T5Tokenizer.load(dir().resolve("t5")); }

    public static ClipTokenizer clip() { return ClipTokenizer.load(dir().resolve("clip")); }

    private static synchronized Path dir() {
        if (extracted != null) return extracted;
        try {
            Path d = Files.createTempDirectory("uso4j-tokenizers");
            for (String f : new String[]{"t5/spiece.model", "clip/vocab.json", "clip/merges.txt", "clip/tokenizer_config.json",
                    "clip/special_tokens_map.json"}) {
                Path target = d.resolve(f);
                Files.createDirectories(target.getParent());
                try (InputStream in = BundledTokenizers.class.getResourceAsStream(ROOT + f)) {
                    if (in == null) throw new IllegalStateException("bundled tokenizer file missing from the jar: " + f);
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                target.toFile().deleteOnExit();
            }
            d.resolve("t5").toFile().deleteOnExit();
            d.resolve("clip").toFile().deleteOnExit();
            d.toFile().deleteOnExit();
            extracted = d;
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled tokenizers", e);
        }
    }
}
