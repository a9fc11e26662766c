package org.uso4j.pipeline.files;

import java.util.Objects;

/**
 * One file of a weight set: where it lives on the Hugging Face hub and where it goes under the
 * {@code --models} folder.
 *
 * @param repo        hub repository, {@code owner/name}
 * @param revision    branch, tag or commit ({@code "main"} for every catalog entry)
 * @param remotePath  path inside the repository ({@code /}-separated)
 * @param localPath   path relative to the models folder ({@code /}-separated, no {@code ..})
 * @param gated       the repository asks users to accept a license and sends 401/403 without a token
 * @param approxBytes approximate size (as the hub's file listing shows it), for plans and disk checks;
 *                    the download itself trusts the hub's {@code X-Linked-Size}/{@code Content-Length}
 */
public record WeightFile(String repo, String revision, String remotePath, String localPath, boolean gated, long approxBytes) {
    public WeightFile {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(remotePath, "remotePath");
        Objects.requireNonNull(localPath, "localPath");
        if (!repo.matches("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*"))
            throw new IllegalArgumentException("repo must be owner/name, got '" + repo + "'");
        if (revision.isEmpty() || revision.contains("..")) throw new IllegalArgumentException("bad revision '" + revision + "'");
        requireRelative("remotePath", remotePath);
        requireRelative("localPath", localPath);
        if (approxBytes < 0) throw new IllegalArgumentException("approxBytes < 0 for " + remotePath);
    }

    /** The file name (last segment of the local path). */
    public String fileName() {
        return localPath.substring(localPath.lastIndexOf('/') + 1);
    }

    /** {@code repo:remotePath}, as a user would name it. */
    public String source() {
        return repo + ":" + remotePath;
    }

    private static void requireRelative(String what, String p) {
        if (p.isEmpty() || p.startsWith("/") || p.endsWith("/") || p.contains("\\"))
            throw new IllegalArgumentException(what + " must be a relative /-separated path, got '" + p + "'");
        for (String seg : p.split("/", -1))
            if (seg.isEmpty() || seg.equals(".") || seg.equals(".."))
                throw new IllegalArgumentException(what + " has an empty, '.' or '..' segment: '" + p + "'");
    }
}
