package org.uso4j.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Opens a checkpoint by what the path is: a safetensors file, a shard index, a GGUF file, or a folder holding a safetensors file or shard index. */
public final class Checkpoints {
    private Checkpoints() {}

    public static Checkpoint open(Path path) {
        if (Files.isDirectory(path)) return open(findIn(path));
        if (!Files.isRegularFile(path)) throw new CheckpointException(path + ": no such file");
        String name = path.getFileName().toString();
        if (name.endsWith(".index.json")) return ShardedCheckpoint.open(path);
        if (name.endsWith(".safetensors") || name.endsWith(".sft")) return SafetensorsFile.open(path);
        if (name.endsWith(".gguf")) return GgufFile.open(path);
        throw new CheckpointException(path + ": unknown checkpoint type (expected .safetensors, .safetensors.index.json or .gguf)");
    }

    /** The single weight file (or shard index) in a folder; fails listing what it found. */
    public static Path findIn(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(Files::isRegularFile).sorted().toList();
            List<Path> index = files.stream().filter(p -> p.getFileName().toString().endsWith(".safetensors.index.json")).toList();
            if (index.size() == 1) return index.get(0);
            List<Path> st = files.stream().filter(p -> p.getFileName().toString().endsWith(".safetensors")).toList();
            if (st.size() == 1) return st.get(0);
            throw new CheckpointException(dir + ": expected one *.safetensors file or one *.safetensors.index.json, found "
                    + files.stream().map(p -> p.getFileName().toString()).toList());
        } catch (IOException e) {
            throw new CheckpointException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }
}
