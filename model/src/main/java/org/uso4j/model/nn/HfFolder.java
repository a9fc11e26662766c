package org.uso4j.model.nn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.uso4j.core.io.Checkpoints;

/**
 * Where a Hugging Face model folder keeps its files: {@code config.json} and the weights under the names
 * {@code from_pretrained} looks for. A path may also name a single weight file, whose config.json (if any) lies
 * beside it.
 */
public final class HfFolder {
    /** Names a Hugging Face folder may hold its weights under, in order of preference. */
    static final List<String> WEIGHT_FILES = List.of("model.safetensors.index.json", "model.safetensors",
            "pytorch_model.bin.index.json", "pytorch_model.bin");

    private HfFolder() {}

    /** {@code config.json} in the folder or beside the file, or null when there is none. */
    public static Path configJson(Path dirOrFile) {
        Path dir = Files.isDirectory(dirOrFile) ? dirOrFile : dirOrFile.toAbsolutePath().getParent();
        Path p = dir == null ? null : dir.resolve("config.json");
        return p != null && Files.isRegularFile(p) ? p : null;
    }

    /** A file as is; for a folder its Hugging Face weight file, else whatever single checkpoint it holds. */
    public static Path weightFile(Path dirOrFile) {
        if (!Files.isDirectory(dirOrFile)) return dirOrFile;
        for (String name : WEIGHT_FILES) {
            Path p = dirOrFile.resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        return Checkpoints.findIn(dirOrFile);
    }
}
