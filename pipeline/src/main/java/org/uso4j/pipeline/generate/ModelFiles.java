package org.uso4j.pipeline.generate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where each {@link ModelComponent} lives: found under a models folder in the official downloader layout
 * ({@code weights/...}) or ComfyUI's ({@code models/...}), each overridable. Missing files are reported with what
 * was expected, where it was looked for and where to get it.
 */
public record ModelFiles(Map<ModelComponent, Path> paths) {

    public ModelFiles {
        paths = Map.copyOf(paths);
    }

    public Path get(ModelComponent c) {
        Path p = paths.get(c);
        if (p == null) throw new IllegalStateException(c.description() + " was not located");
        return p;
    }

    public Optional<Path> find(ModelComponent c) { return Optional.ofNullable(paths.get(c)); }

    /**
     * Locates every component under {@code root} (may be null when all are given in {@code overrides}); overrides
     * win. Fails listing every missing component with the places searched and the download source.
     */
    public static ModelFiles discover(Path root, Map<ModelComponent, Path> overrides) {
        Map<ModelComponent, Path> found = new EnumMap<>(ModelComponent.class);
        List<String> problems = new ArrayList<>();
        for (ModelComponent c : ModelComponent.values()) {
            Path override = overrides == null ? null : overrides.get(c);
            if (override != null) {
                if (!Files.exists(override)) problems.add(c.description() + ": " + c.flag() + " " + override + " does not exist");
                else found.put(c, override);
                continue;
            }
            Optional<Path> p = root == null ? Optional.empty() : locate(root, c);
            if (p.isPresent()) found.put(c, p.get());
            else problems.add(c.description() + ": not found under " + (root == null ? "(no --models folder)" : root)
                    + " (looked for " + String.join(", ", c.candidates()) + "); give it with " + c.flag()
                    + " or download it: " + c.source());
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException("missing model files:\n  " + String.join("\n  ", problems));
        return new ModelFiles(found);
    }

    static Optional<Path> locate(Path root, ModelComponent c) {
        for (String candidate : c.candidates()) {
            if (!candidate.contains("*")) {
                Path p = root.resolve(candidate);
                if (Files.exists(p)) return Optional.of(p);
                continue;
            }
            Path dir = root.resolve(candidate.substring(0, candidate.lastIndexOf('/')));
            String glob = candidate.substring(candidate.lastIndexOf('/') + 1);
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.list(dir)) {
                var matcher = dir.getFileSystem().getPathMatcher("glob:" + glob);
                List<Path> hits = s.filter(f -> matcher.matches(f.getFileName())).sorted().toList();
                if (hits.size() == 1) return Optional.of(hits.get(0));
                if (hits.size() > 1) {
                    throw new IllegalArgumentException(c.description() + ": several candidates in " + dir + " " + hits.stream()
                            .map(h -> h.getFileName().toString()).toList() + "; choose one with " + c.flag());
                }
            } catch (IOException e) {
                throw new IllegalArgumentException(dir + ": cannot list: " + e.getMessage(), e);
            }
        }
        return Optional.empty();
    }
}
