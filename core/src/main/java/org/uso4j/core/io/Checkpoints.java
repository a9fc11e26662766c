package org.uso4j.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/** Opens a checkpoint by what the path is: a safetensors file, a shard index, a GGUF file, a torch.save file, or a folder holding one. */
public final class Checkpoints {
    private Checkpoints() {}

    public static Checkpoint open(Path path) {
        if (Files.isDirectory(path)) return open(findIn(path));
        if (!Files.isRegularFile(path)) {
            throw new CheckpointException(path + (Files.exists(path) ? ": not a regular file (a FIFO, device or socket): give a checkpoint file or folder"
                    : ": no such file"));
        }
        String name = path.getFileName().toString();
        if (name.endsWith(".index.json")) return ShardedCheckpoint.open(path);
        if (name.endsWith(".safetensors") || name.endsWith(".sft")) return SafetensorsFile.open(path);
        if (name.endsWith(".gguf")) return GgufFile.open(path);
        if (isPytorch(name)) return PytorchCheckpoint.open(path);
        throw new CheckpointException(path + ": unknown checkpoint type (expected .safetensors, .safetensors.index.json, .gguf"
                + " or a torch.save file .bin/.pt/.pth/.ckpt)");
    }

    /**
     * Opens {@code path} and hands the checkpoint to {@code build}, whose result owns it from then on (a model
     * whose tensors are views of the mapped files, closing them with itself); closes it if {@code build} throws.
     */
    public static <T> T openFor(Path path, Function<Checkpoint, T> build) {
        Checkpoint ckpt = open(path);
        try {
            return build.apply(ckpt);
        } catch (RuntimeException e) {
            ckpt.close();
            throw e;
        }
    }

    /** torch.save file names: {@code pytorch_model.bin}, {@code *.pt}, {@code *.pth}, {@code *.ckpt}. */
    static boolean isPytorch(String name) {
        return name.endsWith(".bin") || name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".ckpt");
    }

    /** The single weight file (or shard index) in a folder; fails listing what it found. */
    public static Path findIn(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(Files::isRegularFile).sorted().toList();
            List<Path> index = files.stream().filter(p -> p.getFileName().toString().endsWith(".safetensors.index.json")).toList();
            if (index.size() == 1) return index.get(0);
            List<Path> st = files.stream().filter(p -> p.getFileName().toString().endsWith(".safetensors")).toList();
            if (st.size() == 1) return st.get(0);
            if (st.isEmpty()) {
                // No safetensors: the Hugging Face name of a torch.save state dict, else a single torch.save file.
                Path bin = dir.resolve("pytorch_model.bin");
                if (Files.isRegularFile(bin)) return bin;
                List<Path> pt = files.stream().filter(p -> isPytorch(p.getFileName().toString())).toList();
                if (pt.size() == 1) return pt.get(0);
                List<Path> gguf = files.stream().filter(p -> p.getFileName().toString().endsWith(".gguf")).toList();
                if (gguf.size() == 1) return gguf.get(0);
            }
            throw new CheckpointException(dir + ": expected one *.safetensors file, one *.safetensors.index.json"
                    + " or one torch.save file (pytorch_model.bin, *.pt, *.pth, *.ckpt), found "
                    + files.stream().map(p -> p.getFileName().toString()).toList());
        } catch (IOException e) {
            throw new CheckpointException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }
}
