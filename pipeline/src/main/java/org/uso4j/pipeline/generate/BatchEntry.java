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
 * to the batch file's folder. uso4j extension: {@code "content_paths": [...]} gives several content images (the
 * official script can take only one); {@code image_paths[0]} must then be "".
 */
public record BatchEntry(String prompt, List<String> imagePaths, String saveDir, List<String> contentPaths) implements java.io.Serializable {
    public BatchEntry {
        imagePaths = List.copyOf(imagePaths);
        contentPaths = List.copyOf(contentPaths == null ? List.of() : contentPaths);
        if (!contentPaths.isEmpty() && !imagePaths.isEmpty() && !imagePaths.get(0).isEmpty()) {
            throw new IllegalArgumentException("content_paths and a content image in image_paths[0] cannot both be given");
        }
    }

    public BatchEntry(String prompt, List<String> imagePaths, String saveDir) { this(prompt, imagePaths, saveDir, List.of()); }

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
            List<String> contents = new ArrayList<>();
            JsonNode cp = e.get("content_paths");
            if (cp != null && !cp.isNull()) {
                if (!cp.isArray()) throw new IllegalArgumentException(file + ": item " + i + ": \"content_paths\" must be a list of strings");
                for (JsonNode p : cp) {
                    if (!p.isTextual() || p.asText().isEmpty()) throw new IllegalArgumentException(file + ": item " + i + ": \"content_paths\" must hold non-empty strings");
                    contents.add(p.asText());
                }
            }
            try {
                out.add(new BatchEntry(prompt.asText(), paths, sd == null || sd.isNull() ? null : sd.asText(), contents));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(file + ": item " + i + ": " + ex.getMessage(), ex);
            }
        }
        return out;
    }

    /** The content image paths: {@code content_paths}, else the official first entry ("" = none). */
    public List<String> contents() {
        if (!contentPaths.isEmpty()) return contentPaths;
        return imagePaths.isEmpty() || imagePaths.get(0).isEmpty() ? List.of() : List.of(imagePaths.get(0));
    }

    /** The official content image path (the first entry, "" = none). */
    public String contentPath() { return imagePaths.isEmpty() ? "" : imagePaths.get(0); }

    /** The style image paths (official: every entry after the first). */
    public List<String> stylePaths() { return imagePaths.size() <= 1 ? List.of() : imagePaths.subList(1, imagePaths.size()); }
}
