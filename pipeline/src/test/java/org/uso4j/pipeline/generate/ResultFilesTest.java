package org.uso4j.pipeline.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several writers racing for one output name: every result is kept under a name of its own, none is overwritten. */
class ResultFilesTest {
    @Test void concurrentWritersNeverOverwriteEachOther(@TempDir Path dir) throws Exception {
        int writers = 8;
        CyclicBarrier start = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Path>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                byte[] png = ("png of writer " + w).getBytes(StandardCharsets.UTF_8), json = ("json of writer " + w).getBytes(StandardCharsets.UTF_8);
                done.add(pool.submit(() -> {
                    start.await();
                    return ResultFiles.claimFirstFree(dir, k -> k + "_0", png, json);
                }));
            }
            Set<Path> names = new HashSet<>();
            for (int w = 0; w < writers; w++) {
                Path png = done.get(w).get();
                assertTrue(names.add(png), "two writers got " + png);
                assertArrayEquals(("png of writer " + w).getBytes(StandardCharsets.UTF_8), Files.readAllBytes(png));
                assertEquals("json of writer " + w, Files.readString(ResultFiles.json(dir, png.getFileName().toString().replace(".png", ""))));
            }
            for (int n = 0; n < writers; n++) assertTrue(names.contains(dir.resolve(n + "_0.png")), "numbers are used in order: " + names);
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2 * writers, s.count(), "no temporary file left");
        }
    }

    @Test void replaceOverwritesAndFilesFollowTheUmask(@TempDir Path dir) throws Exception {
        Path first = ResultFiles.claimFirstFree(dir, k -> "a_0", new byte[]{1}, new byte[]{2});
        assertEquals(dir.resolve("a_0.png"), first);
        Path again = ResultFiles.replace(dir, "a_0", new byte[]{3}, new byte[]{4});
        assertArrayEquals(new byte[]{3}, Files.readAllBytes(again));
        assertArrayEquals(new byte[]{4}, Files.readAllBytes(ResultFiles.json(dir, "a_0")));
        // a file created the ordinary way shows what the umask gives; the results get the same (not 0600 temp-file modes)
        Set<PosixFilePermission> ordinary = Files.getPosixFilePermissions(Files.write(dir.resolve("plain"), new byte[0]));
        assertEquals(ordinary, Files.getPosixFilePermissions(again));
        assertEquals(ordinary, Files.getPosixFilePermissions(ResultFiles.json(dir, "a_0")));
    }

    @Test void aSidecarLeftWithoutItsPngIsTakenOverByThePngOwner(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("s_0.json"), "stray");
        Path png = ResultFiles.claimFirstFree(dir, k -> k == 0 ? "s_0" : "s_0-" + k, new byte[]{1}, "mine".getBytes(StandardCharsets.UTF_8));
        assertEquals(dir.resolve("s_0.png"), png);
        assertEquals("mine", Files.readString(dir.resolve("s_0.json")));
        Path second = ResultFiles.claimFirstFree(dir, k -> k == 0 ? "s_0" : "s_0-" + k, new byte[]{2}, new byte[]{3});
        assertEquals(dir.resolve("s_0-1.png"), second, "a taken PNG name moves on to the next candidate");
    }
}
