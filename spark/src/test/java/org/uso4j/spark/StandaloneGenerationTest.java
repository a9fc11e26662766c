package org.uso4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code standalone:2}: a real master and two worker JVMs; the job's files equal the single-machine batch's, and a
 * worker killed by its pid mid-job leaves the job finishing on the other with every output present once, bitwise
 * right, and no partial or temporary file.
 */
@Tag("spark")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneGenerationTest {
    @TempDir static Path tmp;
    static DemoBatch demo;
    static SparkRun spark;
    static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    static final PrintStream OUT = new PrintStream(LOG, true, StandardCharsets.UTF_8);

    @BeforeAll static void start() {
        demo = DemoBatch.stage(tmp, 6, 2, 64, 3);
        spark = SparkRun.start(SparkMaster.parse("standalone:2"), "uso4j test", OUT);
    }

    @AfterAll static void stop() {
        if (spark != null) spark.close();
    }

    /** The names in {@code dir} now (the job renames files meanwhile: a listing is all that is read). */
    private static List<String> names(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    @Test @Order(1) void outputsEqualTheSingleMachineBatch() {
        Path out = tmp.resolve("out"), ref = tmp.resolve("ref");
        demo.reference(ref);
        SparkGeneration.Summary s = SparkGeneration.run(spark, demo.job(out.toString()), demo.entries(), OUT);
        assertEquals(12, s.written(), s + "\n" + LOG);
        assertEquals(2, spark.context().sc().getExecutorIds().size(), "two executors, one per worker");
        Map<String, byte[]> ours = DemoBatch.files(out), theirs = DemoBatch.files(ref);
        assertEquals(theirs.keySet(), ours.keySet());
        theirs.forEach((name, bytes) -> assertArrayEquals(bytes, ours.get(name), name));
    }

    @Test @Order(2) void aWorkerKilledMidJobLeavesEveryOutputOnceAndNoPartialFile() throws Exception {
        Path out = tmp.resolve("killed"), ref = tmp.resolve("ref");
        CompletableFuture<SparkGeneration.Summary> job = CompletableFuture.supplyAsync(
                () -> SparkGeneration.run(spark, demo.job(out.toString()), demo.entries(), OUT));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (names(out).stream().noneMatch(n -> n.endsWith(".json")) && !job.isDone() && System.nanoTime() < deadline) Thread.sleep(20);
        Process victim = spark.cluster().workers().get(0);
        assertTrue(victim.isAlive() && !job.isDone(), "the job should still be running when the worker is killed\n" + LOG);
        long before = names(out).stream().filter(n -> !n.startsWith(".")).count();
        assertTrue(before < 24, "outputs left to generate: " + before);
        ProcessHandle.of(victim.pid()).orElseThrow().destroyForcibly();
        SparkGeneration.Summary s = job.get(240, TimeUnit.SECONDS);
        assertTrue(s.failures().isEmpty(), s.toString());
        assertEquals(12, s.written() + s.skipped(), s.toString());
        Map<String, byte[]> ours = DemoBatch.files(out), theirs = DemoBatch.files(ref);
        assertEquals(theirs.keySet(), ours.keySet(), "every output once, no temporary file");
        theirs.forEach((name, bytes) -> assertArrayEquals(bytes, ours.get(name), name));
        assertTrue(LOG.toString(StandardCharsets.UTF_8).contains("failed on executor"), "a task attempt was lost with the worker:\n" + LOG);
    }
}
