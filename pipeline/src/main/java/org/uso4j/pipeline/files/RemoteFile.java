package org.uso4j.pipeline.files;

import java.util.Locale;
import java.util.Optional;

/**
 * What the hub says about a file before it is downloaded (from the {@code HEAD} of its resolve URL).
 *
 * @param size   bytes: {@code X-Linked-Size} of an LFS redirect, else {@code Content-Length}; -1 when unknown
 * @param etag   {@code X-Linked-ETag} of an LFS redirect (the file's sha256), else {@code ETag} (for a
 *               regular git file, the git blob sha1); unquoted, without {@code W/}; empty when absent
 * @param commit {@code X-Repo-Commit}; empty when absent
 */
public record RemoteFile(long size, String etag, String commit) {
    public RemoteFile {
        if (size < -1) throw new IllegalArgumentException("size " + size);
        etag = normalizeEtag(etag);
        commit = commit == null ? "" : commit;
    }

    public boolean sizeKnown() {
        return size >= 0;
    }

    /** The sha256 the content must have: an ETag of 64 hex digits (LFS / Xet files). */
    public Optional<String> sha256() {
        return etag.matches("[0-9a-f]{64}") ? Optional.of(etag) : Optional.empty();
    }

    /** The git blob sha1 of the content: an ETag of 40 hex digits (regular files stored in git). */
    public Optional<String> gitBlobSha1() {
        return etag.matches("[0-9a-f]{40}") ? Optional.of(etag) : Optional.empty();
    }

    /** {@code "abc"}, {@code W/"abc"} and {@code abc} all become {@code abc} (lower-cased). */
    static String normalizeEtag(String raw) {
        if (raw == null) return "";
        String s = raw.trim();
        if (s.startsWith("W/")) s = s.substring(2);
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) s = s.substring(1, s.length() - 1);
        return s.toLowerCase(Locale.ROOT);
    }
}
