package org.uso4j.core.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.uso4j.core.Tensor;

/**
 * Coverage-guided fuzz targets for the checkpoint readers (a security boundary): whatever the bytes, a reader
 * either returns tensors that can be read or refuses with a {@link CheckpointException}; any other exception, a
 * hang or an out-of-memory is a finding. {@code mvn test} replays the seed corpus in
 * {@code src/test/resources/org/uso4j/core/io/CheckpointFuzzTestInputs/<target>} (real-layout files) and every
 * finding kept there; {@code .ci/fuzz} fuzzes each target for a bounded time.
 */
class CheckpointFuzzTest {
    private static final Path DIR = tempDir();

    private static Path tempDir() {
        try {
            Path d = Files.createTempDirectory("uso4j-fuzz");
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(String name, byte[] data) {
        try {
            Path p = DIR.resolve(name);
            Files.write(p, data);
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens {@code file}, reads every tensor's first and last value and the metadata, and closes it. */
    static void readAll(Path file) {
        try (Checkpoint c = Checkpoints.open(file)) {
            c.metadata().forEach((k, v) -> { });
            for (TensorEntry e : c.entries()) {
                Tensor t = c.tensor(e.name());
                if (t.numel() > 0 && !t.dtype().isQuantized()) {
                    t.getFloat(0);
                    t.getFloat(t.numel() - 1);
                }
            }
        } catch (CheckpointException refused) {
            // the expected answer to a malformed file
        }
    }

    @FuzzTest(maxDuration = "30s")
    void safetensors(byte[] data) { readAll(write("f.safetensors", data)); }

    @FuzzTest(maxDuration = "30s")
    void gguf(byte[] data) { readAll(write("f.gguf", data)); }

    /** The whole torch.save file: zip container, then the pickle and the storages. */
    @FuzzTest(maxDuration = "30s")
    void pytorchZip(byte[] data) { readAll(write("f.bin", data)); }

    /** The pickle alone, inside a well-formed archive with one 64-byte storage record. */
    @FuzzTest(maxDuration = "30s")
    void pickle(byte[] data) {
        byte[] zip = new TorchZipBuilder().add("a/data.pkl", data).add("a/data/0", new byte[64]).add("a/version", "3\n".getBytes()).build();
        readAll(write("p.pt", zip));
    }

    /** A shard index (JSON) over two small valid shards. */
    @FuzzTest(maxDuration = "30s")
    void shardedIndex(byte[] index) {
        write("m-1.safetensors", SafetensorsFileTest.file("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", new byte[4]));
        write("m-2.safetensors", SafetensorsFileTest.file("{\"b\": {\"dtype\": \"BF16\", \"shape\": [2], \"data_offsets\": [0, 4]}}", new byte[4]));
        readAll(write("m.safetensors.index.json", index));
    }
}
