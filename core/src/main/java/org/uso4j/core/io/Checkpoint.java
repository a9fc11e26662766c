package org.uso4j.core.io;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.uso4j.core.Tensor;

/**
 * A set of named tensors read from one or more files (safetensors, sharded safetensors, GGUF, PyTorch zip).
 * Tensors are views into memory-mapped files, valid until {@link #close()}.
 */
public interface Checkpoint extends AutoCloseable {
    /** A short description for messages: the file name, or the index file of a sharded set. */
    String source();

    /** Tensor names, in file order. */
    Set<String> names();

    Collection<TensorEntry> entries();

    TensorEntry entry(String name);

    /** The tensor's stored bytes as a view; fails naming the key if absent. */
    Tensor tensor(String name);

    /** String metadata (safetensors {@code __metadata__}, GGUF key/values rendered as strings). */
    Map<String, String> metadata();

    default boolean contains(String name) { return names().contains(name); }

    @Override void close();
}
