package org.uso4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The smaller reader findings: UTF-8 headers, bounded tensor counts in linear time, FIFOs, messages naming a path once. */
class ReaderHardeningTest {
    @TempDir Path dir;

    Path write(String name, byte[] bytes) throws IOException { return Files.write(dir.resolve(name), bytes); }

    @Test void aHeaderThatIsNotUtf8IsRefused() throws IOException {
        // "w\u00ff" in ISO-8859-1: the lone 0xFF byte is not UTF-8 (it used to become U+FFFD in the name)
        byte[] header = "{\"w\u00ff\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}".getBytes(StandardCharsets.ISO_8859_1);
        byte[] raw = java.nio.ByteBuffer.allocate(8 + header.length + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).put(new byte[4]).array();
        Path p = write("latin1.safetensors", raw);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(p).close());
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    }

    /** A header of {@code n} empty tensors. */
    static String emptyTensors(int n) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < n; i++) sb.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}");
        return sb.append('}').toString();
    }

    @Test void tooManyTensorsAreRefusedAndTheLimitIsListedQuickly() throws IOException {
        Path flood = write("flood.safetensors", SafetensorsFileTest.file(emptyTensors(SafetensorsFile.MAX_TENSORS + 1), new byte[0]));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(flood).close());
        assertTrue(e.getMessage().contains("more than " + SafetensorsFile.MAX_TENSORS + " tensors"), e.getMessage());
        Path most = write("most.safetensors", SafetensorsFileTest.file(emptyTensors(SafetensorsFile.MAX_TENSORS), new byte[0]));
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (Checkpoint c = Checkpoints.open(most)) {
                assertEquals(SafetensorsFile.MAX_TENSORS, c.entries().size());
            }
        });
    }

    @Test void aFifoIsNotANoSuchFileAndIsNeverOpened() throws Exception {
        Path fifo = dir.resolve("pipe.safetensors");
        int rc = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor();
        org.junit.jupiter.api.Assumptions.assumeTrue(rc == 0, "mkfifo unavailable");
        CheckpointException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(CheckpointException.class, () -> Checkpoints.open(fifo)));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        assertFalse(e.getMessage().contains("no such file"), e.getMessage());
        CheckpointException missing = assertThrows(CheckpointException.class, () -> Checkpoints.open(dir.resolve("absent.safetensors")));
        assertTrue(missing.getMessage().endsWith("absent.safetensors: no such file"), missing.getMessage());
    }

    @Test void anUnreadableFileNamesItsPathOnce() throws IOException {
        Path p = dir.resolve("x");
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsFile.open(p.resolveSibling("gone.safetensors")));
        String m = e.getMessage();
        assertEquals(m.indexOf("gone.safetensors"), m.lastIndexOf("gone.safetensors"), m);
        assertTrue(m.endsWith("cannot read: no such file"), m);
    }
}
