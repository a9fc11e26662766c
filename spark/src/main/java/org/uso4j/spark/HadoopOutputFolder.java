package org.uso4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The output folder of a job through the Hadoop FileSystem API (local, HDFS, S3A, ...). A file is written under a
 * hidden temporary name ({@code .<name>.<random>.tmp}) and renamed, so a killed or retried task never leaves a
 * partial file under a final name; the driver removes the temporaries of tasks that died before their rename.
 * The local file system is used without Hadoop's {@code .crc} side files, so the folder holds what
 * {@code uso4j generate} writes and nothing else.
 */
final class HadoopOutputFolder {
    private static final String TMP_SUFFIX = ".tmp";

    private final FileSystem fs;
    private final Path dir;

    private HadoopOutputFolder(FileSystem fs, Path dir) {
        this.fs = fs;
        this.dir = dir;
    }

    /** The folder at {@code uri} (a qualified URI, see {@link #qualify}). */
    static HadoopOutputFolder open(String uri) {
        try {
            FileSystem fs = FileSystem.get(URI.create(uri), new Configuration());
            if (fs instanceof ChecksumFileSystem c) fs = c.getRawFileSystem();
            return new HadoopOutputFolder(fs, new Path(uri));
        } catch (IOException e) {
            throw new UncheckedIOException("--save-path " + uri + ": cannot open its file system: " + e.getMessage(), e);
        }
    }

    /** {@code path} (a URI, or a local path relative to the driver's working folder) as a qualified URI every node resolves alike. */
    static String qualify(String path) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(new Configuration()).makeQualified(p).toString();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--save-path " + path + ": not a usable path or URI: " + e.getMessage(), e);
        }
    }

    boolean exists(String name) {
        try {
            return fs.isFile(new Path(dir, name));
        } catch (IOException e) {
            throw new UncheckedIOException(new Path(dir, name) + ": cannot check: " + e.getMessage(), e);
        }
    }

    /** Writes {@code body} as {@code name}: temporary file, then rename (replacing an older file of that name). */
    void write(String name, byte[] body) {
        Path target = new Path(dir, name), tmp = new Path(dir, "." + name + "." + UUID.randomUUID() + TMP_SUFFIX);
        try {
            fs.mkdirs(target.getParent());
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                out.write(body);
            }
            if (fs.exists(target)) fs.delete(target, false);
            if (!fs.rename(tmp, target)) throw new IOException("rename of " + tmp + " failed");
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    fs.delete(tmp, false);
                } catch (IOException ignored) {
                    // the name is hidden and never a final name; the driver's sweep removes it
                }
            }
        }
    }

    /** Removes temporaries of {@code names} left by tasks that were killed before their rename; returns how many. */
    int removeTemporaries(Set<String> names) {
        Map<Path, Set<String>> byFolder = new HashMap<>();
        for (String name : names) {
            Path target = new Path(dir, name);
            byFolder.computeIfAbsent(target.getParent(), k -> new HashSet<>()).add(target.getName());
        }
        int removed = 0;
        try {
            for (Map.Entry<Path, Set<String>> f : byFolder.entrySet()) {
                if (!fs.exists(f.getKey())) continue;
                for (FileStatus st : fs.listStatus(f.getKey())) {
                    String file = st.getPath().getName();
                    if (!file.startsWith(".") || !file.endsWith(TMP_SUFFIX)) continue;
                    String rest = file.substring(1, file.length() - TMP_SUFFIX.length());
                    int dot = rest.lastIndexOf('.');
                    if (dot > 0 && f.getValue().contains(rest.substring(0, dot)) && fs.delete(st.getPath(), false)) removed++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot remove temporary files: " + e.getMessage(), e);
        }
        return removed;
    }

    @Override public String toString() { return dir.toString(); }
}
