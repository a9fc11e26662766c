package org.uso4j.pipeline.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One item of an official {@code --eval_json_path} batch file: {@code {"prompt", "image_paths", "save_dir"?}} where
 * {@code image_paths[0]} is the content image ({@code ""} = none) and every further path is a style image, relative
 * to the batch file's folder.
 */
public record BatchEntry(String prompt, List<String> imagePaths, String saveDir) {
    public BatchEntry {
        imagePaths = List.copyOf(imagePaths);
    }

    /** Reads and validates a batch file; errors name the file, the item and the field. */
    public static List<BatchEntry> read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a readable JSON batch file: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) throw new IllegalArgumentException(file + ": expected a JSON list of {prompt, image_paths, save_dir}");
        List<BatchEntry> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode e = root.get(i);
            if (!e.isObject()) throw new IllegalArgumentException(file + ": item " + i + " is not an object");
            JsonNode prompt = e.get("prompt");
            if (prompt == null || !prompt.isTextual()) throw new IllegalArgumentException(file + ": item " + i + ": \"prompt\" must be a string");
            List<String> paths = new ArrayList<>();
            JsonNode ip = e.get("image_paths");
            if (ip != null && !ip.isNull()) {
                if (!ip.isArray()) throw new IllegalArgumentException(file + ": item " + i + ": \"image_paths\" must be a list of strings");
                for (JsonNode p : ip) {
                    if (!p.isTextual()) throw new IllegalArgumentException(file + ": item " + i + ": \"image_paths\" must hold strings");
                    paths.add(p.asText());
                }
            }
            JsonNode sd = e.get("save_dir");
            if (sd != null && !sd.isNull() && (!sd.isTextual() || sd.asText().isBlank() || sd.asText().contains(".."))) {
                throw new IllegalArgumentException(file + ": item " + i + ": \"save_dir\" must be a non-empty relative name");
            }
            out.add(new BatchEntry(prompt.asText(), paths, sd == null || sd.isNull() ? null : sd.asText()));
        }
        return out;
    }

    /** The content image path (official: the first entry, "" = none). */
    public String contentPath() { return imagePaths.isEmpty() ? "" : imagePaths.get(0); }

    /** The style image paths (official: every entry after the first). */
    public List<String> stylePaths() { return imagePaths.size() <= 1 ? List.of() : imagePaths.subList(1, imagePaths.size()); }
}
