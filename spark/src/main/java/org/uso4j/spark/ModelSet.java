package org.uso4j.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.uso4j.pipeline.generate.ModelComponent;
import org.uso4j.pipeline.generate.ModelFiles;

/**
 * The model files of a job as shipped to the executors: either absolute local paths (every node has the models at
 * the same place) or, when {@code --models} or an override is a Hadoop URI, the driver's manifest of each component
 * ({@link RemoteModel}), which each executor copies once per node into its model cache before loading.
 *
 * @param local  components at a local path (absolute, as the driver sees it)
 * @param remote components on a Hadoop file system
 * @param cache  the model cache folder of every node ({@code --model-cache}), or null: {@code java.io.tmpdir/uso4j-model-cache}
 */
public record ModelSet(Map<ModelComponent, String> local, Map<ModelComponent, RemoteModel> remote, String cache) implements Serializable {
    public ModelSet {
        local = local.isEmpty() ? new EnumMap<>(ModelComponent.class) : new EnumMap<>(local);
        remote = remote.isEmpty() ? new EnumMap<>(ModelComponent.class) : new EnumMap<>(remote);
    }

    /** The model files of {@code files}, as absolute local paths. */
    public static ModelSet local(ModelFiles files) {
        Map<ModelComponent, String> m = new EnumMap<>(ModelComponent.class);
        files.paths().forEach((c, p) -> m.put(c, p.toAbsolutePath().normalize().toString()));
        return new ModelSet(m, Map.of(), null);
    }

    /** In an executor: the local files, the remote ones copied into (or found in) this node's model cache. */
    ModelFiles localFiles() {
        Map<ModelComponent, Path> m = new EnumMap<>(ModelComponent.class);
        local.forEach((c, p) -> m.put(c, Path.of(p)));
        Path dir = cacheDir();
        remote.forEach((c, r) -> m.put(c, ModelCache.localize(r, dir)));
        return new ModelFiles(m);
    }

    Path cacheDir() {
        return cache != null ? Path.of(cache) : Path.of(System.getProperty("java.io.tmpdir"), "uso4j-model-cache");
    }

    /** Which models these are, for the executors' pipeline key. */
    String key() {
        StringBuilder b = new StringBuilder(local.toString());
        remote.forEach((c, r) -> b.append('|').append(c).append('=').append(r.key()));
        return b.append('|').append(cache).toString();
    }
}
