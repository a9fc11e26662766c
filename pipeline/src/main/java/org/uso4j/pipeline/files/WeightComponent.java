package org.uso4j.pipeline.files;

import java.util.List;
import java.util.Objects;

/**
 * A named group of files that together form one model part ({@code flux}, {@code t5}, {@code comfy-uso}, ...).
 *
 * @param name        the name used on the command line ({@code --components})
 * @param description one line for listings
 * @param files       the files, in download order
 */
public record WeightComponent(String name, String description, List<WeightFile> files) {
    public WeightComponent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        if (!name.matches("[a-z0-9][a-z0-9-]*")) throw new IllegalArgumentException("component name '" + name + "'");
        files = List.copyOf(files);
        if (files.isEmpty()) throw new IllegalArgumentException("component " + name + " has no files");
    }

    /** Sum of the files' approximate sizes. */
    public long approxBytes() {
        return files.stream().mapToLong(WeightFile::approxBytes).sum();
    }

    /** Whether any file comes from a gated repository. */
    public boolean gated() {
        return files.stream().anyMatch(WeightFile::gated);
    }
}
