package org.uso4j.core.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * What the single-file readers share: the file is memory-mapped once into its own arena (closed with the
 * checkpoint), the validated tensor entries are looked up by name, and tensors are views of the mapping.
 */
abstract sealed class MappedCheckpoint implements Checkpoint permits GgufFile, PytorchCheckpoint, SafetensorsFile {
    /** Validates a whole mapped file and builds the checkpoint over it, or throws {@link CheckpointException}. */
    interface Parser<T extends MappedCheckpoint> {
        T parse(Path path, Arena arena, MemorySegment file);
    }

    private final Path path;
    private final Arena arena;
    private final Map<String, TensorEntry> entries;

    MappedCheckpoint(Path path, Arena arena, Map<String, TensorEntry> entries) {
        this.path = path;
        this.arena = arena;
        this.entries = entries;
    }

    /** Maps {@code path} read-only into a fresh shared arena and parses it; the arena is closed if that fails. */
    static <T extends MappedCheckpoint> T open(Path path, Parser<T> parser) {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment file;
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            }
            return parser.parse(path, arena, file);
        } catch (IOException e) {
            arena.close();
            throw new CheckpointException(path + ": cannot read: " + reason(e), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The reason of an I/O failure without repeating the path (the JDK's file exceptions use it as their message). */
    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.FileSystemException f) return f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    public Path path() { return path; }

    @Override public String source() { return path.toString(); }

    @Override public Set<String> names() { return entries.keySet(); }

    @Override public Collection<TensorEntry> entries() { return entries.values(); }

    @Override public TensorEntry entry(String name) {
        TensorEntry e = entries.get(name);
        if (e == null) throw new CheckpointException(path + ": no tensor '" + name + "'");
        return e;
    }

    @Override public void close() { arena.close(); }
}
