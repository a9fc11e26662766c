package org.uso4j.pipeline.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The checksum a downloaded file must match, fed as the bytes arrive: sha256 for LFS/Xet files (the hub's
 * {@code X-Linked-ETag}), the git blob sha1 ({@code sha1("blob " + size + "\0" + content)}) for regular git
 * files (their {@code ETag}), nothing when the hub announced neither.
 */
final class ContentDigest {
    private final String algorithm; // "sha256", "git-sha1" or "" (none)
    private final String expected;
    private final long size;
    private MessageDigest md;
    private long bytes;

    private ContentDigest(String algorithm, String expected, long size) {
        this.algorithm = algorithm;
        this.expected = expected;
        this.size = size;
        reset();
    }

    static ContentDigest forFile(RemoteFile meta) {
        if (meta.sha256().isPresent()) return new ContentDigest("sha256", meta.sha256().get(), meta.size());
        if (meta.gitBlobSha1().isPresent() && meta.sizeKnown()) return new ContentDigest("git-sha1", meta.gitBlobSha1().get(), meta.size());
        return new ContentDigest("", "", meta.size());
    }

    boolean checks() {
        return !algorithm.isEmpty();
    }

    String algorithm() {
        return algorithm;
    }

    /** Bytes of content hashed so far. */
    long bytes() {
        return bytes;
    }

    void reset() {
        bytes = 0;
        if (algorithm.isEmpty()) return;
        try {
            md = MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (algorithm.equals("git-sha1")) md.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
    }

    void update(byte[] b, int off, int len) {
        if (md != null) md.update(b, off, len);
        bytes += len;
    }

    /** Restarts from the content already in {@code part} (a download resumed from an earlier run). */
    void rehash(Path part) throws IOException {
        reset();
        if (!Files.exists(part)) return;
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(part)) {
            for (int n; (n = in.read(buf)) > 0; ) update(buf, 0, n);
        }
    }

    /** Empty when the content matches (or nothing is checked), else the actual digest. */
    String mismatch() {
        if (md == null) return "";
        String actual = HexFormat.of().formatHex(md.digest());
        return actual.equals(expected) ? "" : actual;
    }

    String expected() {
        return expected;
    }
}
