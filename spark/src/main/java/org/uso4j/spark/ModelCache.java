package org.uso4j.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * A node's model cache: each {@link RemoteModel} is copied once into {@code <cache>/<key>/<name>}, where the key is
 * a digest of its URI and its files' sizes and SHA-256s. Each file is copied under a temporary name, checked (size and
 * SHA-256 against the driver's manifest) and renamed; the copy of a model holds a file lock ({@code <key>.lock}), so
 * the executor JVMs of one node copy it once and the others wait and use it. A cached file is checked again before
 * use and copied again when it no longer matches; a source that does not match its manifest is refused.
 */
final class ModelCache {
    private static final Map<String, Object> JVM_LOCKS = new ConcurrentHashMap<>();
    /** Sources found not to match their manifest in this JVM: refused again without copying them again. */
    private static final Map<String, String> REFUSED = new ConcurrentHashMap<>();
    private static final AtomicInteger COPIES = new AtomicInteger();

    private ModelCache() {}

    /** The local copy of {@code model} under {@code cacheDir} (the file, or the folder of its files), copying what is missing. */
    static Path localize(RemoteModel model, Path cacheDir) {
        String key = sha256Hex(model.key()).substring(0, 32);
        String refused = REFUSED.get(key);
        if (refused != null) throw new IllegalStateException(refused);
        Path dir = cacheDir.resolve(key);
        Path target = dir.resolve(model.name());
        synchronized (JVM_LOCKS.computeIfAbsent(key, k -> new Object())) { // a FileLock is per JVM: threads take turns first
            try {
                Files.createDirectories(dir);
                try (FileChannel ch = FileChannel.open(cacheDir.resolve(key + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock lock = ch.lock()) {
                    for (RemoteModel.File f : model.files()) {
                        Path local = f.relative().isEmpty() ? target : target.resolve(f.relative());
                        String source = f.relative().isEmpty() ? model.uri() : model.uri() + "/" + f.relative();
                        if (Files.isRegularFile(local)) {
                            String problem = mismatch(f, Files.size(local), digest(local));
                            if (problem == null) continue;
                            System.err.println("uso4j: the cached copy " + local + " of " + source + " " + problem + ": copying it again");
                        }
                        copy(source, f, local, key);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("model cache " + cacheDir + ": cannot copy " + model.uri() + ": " + e.getMessage(), e);
            }
        }
        return target;
    }

    /** How many files this JVM has copied into a model cache (for the tests). */
    static int copies() { return COPIES.get(); }

    private static void copy(String source, RemoteModel.File f, Path local, String key) throws IOException {
        Files.createDirectories(local.getParent());
        Path tmp = local.resolveSibling("." + local.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            MessageDigest md = sha256();
            FileSystem fs = FileSystem.get(URI.create(source), new Configuration());
            try (InputStream in = new DigestInputStream(fs.open(new org.apache.hadoop.fs.Path(source)), md);
                 OutputStream out = Files.newOutputStream(tmp)) {
                in.transferTo(out);
            }
            String problem = mismatch(f, Files.size(tmp), HexFormat.of().formatHex(md.digest()));
            if (problem != null) {
                String message = "model file " + source + " " + problem + " (refused: fix the file or its .sha256 sidecar)";
                REFUSED.put(key, message);
                throw new IllegalStateException(message);
            }
            try {
                Files.move(tmp, local, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, local, StandardCopyOption.REPLACE_EXISTING);
            }
            COPIES.incrementAndGet();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Null when {@code size} and {@code sha256} are those of the manifest, else what differs (expected vs found). */
    private static String mismatch(RemoteModel.File f, long size, String sha256) {
        if (size != f.size()) return "has " + size + " bytes, expected " + f.size() + " (the size the driver listed)";
        if (!sha256.equals(f.sha256())) return "has SHA-256 " + sha256 + ", expected " + f.sha256() + " (" + f.shaFrom() + ")";
        return null;
    }

    static String digest(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha256Hex(String s) { return HexFormat.of().formatHex(sha256().digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8))); }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
