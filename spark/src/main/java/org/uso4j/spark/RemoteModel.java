package org.uso4j.spark;

import java.io.Serializable;
import java.util.List;

/**
 * A model file or folder on a Hadoop file system, as the driver listed it: the executors copy it into their node's
 * model cache ({@link ModelCache}) and check each copy against this manifest.
 *
 * @param uri   the qualified URI of the file or folder
 * @param files its files: one with an empty relative name for a file, else each file of the folder (relative to it)
 */
public record RemoteModel(String uri, List<File> files) implements Serializable {
    /** One file: its name relative to the model's URI ("" for the model file itself), size and SHA-256 (hex). */
    public record File(String relative, long size, String sha256, String shaFrom) implements Serializable {}

    public RemoteModel {
        files = List.copyOf(files);
        if (files.isEmpty()) throw new IllegalArgumentException(uri + ": an empty folder (expected the model's files)");
    }

    /** The model's last path segment: the name of its local copy. */
    String name() {
        String u = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
        return u.substring(u.lastIndexOf('/') + 1);
    }

    /** What identifies the copy: the URI and each file's name, size and SHA-256. */
    String key() {
        StringBuilder b = new StringBuilder(uri);
        for (File f : files) b.append('\n').append(f.relative()).append(' ').append(f.size()).append(' ').append(f.sha256());
        return b.toString();
    }
}
