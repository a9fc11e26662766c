package org.uso4j.pipeline.files;

import java.util.Objects;

/** A download that cannot complete; the message says which file, why, and what the user can do. */
public final class DownloadException extends RuntimeException {
    /** Why a download failed. */
    public enum Kind {
        /** 401/403: gated repository without (an accepted) token, private or missing repository. */
        ACCESS,
        /** 404: no such file or revision. */
        NOT_FOUND,
        /** 429/5xx or an unexpected answer from the hub or CDN; may work later. */
        SERVER,
        /** Connection failed, cut or stalled, after every retry; running again resumes. */
        NETWORK,
        /** The bytes do not match the size or sha256 the hub announced; the partial file was deleted. */
        INTEGRITY,
        /** Local file system: no space, not writable, a path in the way. */
        LOCAL
    }

    private final Kind kind;

    public DownloadException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind);
    }

    public DownloadException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind);
    }

    public Kind kind() {
        return kind;
    }

    /** Whether retrying within this run may succeed. */
    public boolean retryable() {
        return kind == Kind.SERVER || kind == Kind.NETWORK;
    }
}
