package org.uso4j.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.uso4j.pipeline.generate.ModelComponent;

/**
 * On the driver: the model set of {@code --models URI} (and overrides) on a Hadoop file system, found with the
 * candidates of {@link ModelComponent} (official {@code weights/} layout, then ComfyUI's {@code models/}; a {@code *}
 * matches exactly one file), and its manifest: each file's size and SHA-256, read from a {@code <file>.sha256} sidecar
 * when there is one (its first word), else computed by streaming the file once.
 */
public final class RemoteModels {
    private static final Pattern URI_LIKE = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:.*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final String SIDECAR = ".sha256";

    private RemoteModels() {}

    /** Whether {@code s} is a URI ({@code hdfs:}, {@code s3a:}, {@code file:}, ...) rather than a local path. */
    public static boolean isUri(String s) { return s != null && URI_LIKE.matcher(s).matches(); }

    /**
     * The models under {@code root} (null when every component is in {@code overrides}), overrides winning; a plain path
     * among them is read as a {@code file:} URI. Fails listing every missing component, like {@code ModelFiles.discover}.
     */
    public static ModelSet resolve(String root, Map<ModelComponent, String> overrides, String cache) {
        Map<ModelComponent, RemoteModel> found = new EnumMap<>(ModelComponent.class);
        List<String> problems = new ArrayList<>();
        Path rootPath = root == null ? null : qualified(root, "--models");
        for (ModelComponent c : ModelComponent.values()) {
            String given = overrides.get(c);
            try {
                Path at = given != null ? qualified(given, c.flag()) : rootPath == null ? null : locate(rootPath, c);
                if (at == null) {
                    problems.add(c.description() + ": not found under " + (root == null ? "(no --models folder)" : rootPath)
                            + " (looked for " + String.join(", ", c.candidates()) + "); give it with " + c.flag() + " or download it: " + c.source());
                } else if (!at.getFileSystem(new Configuration()).exists(at)) {
                    problems.add(c.description() + ": " + c.flag() + " " + at + " does not exist");
                } else {
                    found.put(c, manifest(at));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(c.description() + ": cannot read " + (given != null ? given : root) + ": " + e.getMessage(), e);
            }
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException("missing model files:\n  " + String.join("\n  ", problems));
        return new ModelSet(Map.of(), found, cache);
    }

    private static Path qualified(String s, String flag) {
        try {
            Path p = new Path(s);
            return p.getFileSystem(new Configuration()).makeQualified(p);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + " " + s + ": not a usable path or URI: " + e.getMessage(), e);
        }
    }

    /** The first candidate of {@code c} present under {@code root}, or null. */
    private static Path locate(Path root, ModelComponent c) throws IOException {
        FileSystem fs = root.getFileSystem(new Configuration());
        for (String candidate : c.candidates()) {
            int slash = candidate.lastIndexOf('/');
            if (!candidate.contains("*")) {
                Path p = new Path(root, candidate);
                if (fs.exists(p)) return p;
                continue;
            }
            Path dir = new Path(root, candidate.substring(0, slash));
            if (!fs.isDirectory(dir)) continue;
            var glob = java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + candidate.substring(slash + 1));
            FileStatus[] hits = fs.listStatus(dir, p -> glob.matches(java.nio.file.Path.of(p.getName())));
            Arrays.sort(hits);
            if (hits.length == 1) return hits[0].getPath();
            if (hits.length > 1) {
                throw new IllegalArgumentException(c.description() + ": several candidates in " + dir + " "
                        + Arrays.stream(hits).map(h -> h.getPath().getName()).toList() + "; choose one with " + c.flag());
            }
        }
        return null;
    }

    /** The file or folder at {@code at} with each file's size and SHA-256. */
    static RemoteModel manifest(Path at) throws IOException {
        FileSystem fs = at.getFileSystem(new Configuration());
        List<RemoteModel.File> files = new ArrayList<>();
        if (fs.getFileStatus(at).isFile()) {
            files.add(file(fs, at, "", fs.getFileStatus(at).getLen()));
        } else {
            String base = at.toUri().getPath();
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(at, true);
            while (it.hasNext()) {
                LocatedFileStatus s = it.next();
                if (s.getPath().getName().endsWith(SIDECAR)) continue;
                String rel = s.getPath().toUri().getPath().substring(base.length()).replaceFirst("^/", "");
                files.add(file(fs, s.getPath(), rel, s.getLen()));
            }
            files.sort(java.util.Comparator.comparing(RemoteModel.File::relative));
        }
        return new RemoteModel(at.toString(), files);
    }

    private static RemoteModel.File file(FileSystem fs, Path p, String relative, long size) throws IOException {
        Path sidecar = p.suffix(SIDECAR);
        if (fs.isFile(sidecar)) {
            String text;
            try (InputStream in = fs.open(sidecar)) {
                text = new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
            }
            String first = text.isEmpty() ? "" : text.split("\\s+")[0];
            if (!SHA256.matcher(first).matches()) {
                throw new IllegalArgumentException(sidecar + ": expected a SHA-256 (64 hex digits, as sha256sum writes) as its first word, found '"
                        + (first.length() > 80 ? first.substring(0, 80) + "..." : first) + "'");
            }
            return new RemoteModel.File(relative, size, first.toLowerCase(java.util.Locale.ROOT), "from its sidecar " + sidecar.getName());
        }
        MessageDigest md = ModelCache.sha256();
        try (InputStream in = new DigestInputStream(fs.open(p), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return new RemoteModel.File(relative, size, HexFormat.of().formatHex(md.digest()), "computed by the driver");
    }
}
