package org.uso4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.pipeline.generate.BatchEntry;

/** {@code local[2]}: the job's files equal the single-machine batch's bit for bit; a re-submission writes nothing; a bad item fails alone. */
@Tag("spark")
class LocalGenerationTest {
    @TempDir static Path tmp;
    static DemoBatch demo;
    static SparkRun spark;
    static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();

    @BeforeAll static void start() {
        demo = DemoBatch.stage(tmp, 4, 2, 64, 2);
        spark = SparkRun.start(SparkMaster.parse("local[2]"), "uso4j test", new PrintStream(LOG, true, StandardCharsets.UTF_8));
    }

    @AfterAll static void stop() {
        if (spark != null) spark.close();
    }

    @Test void outputsEqualTheSingleMachineBatchAndAResubmissionWritesNothing() throws Exception {
        Path out = tmp.resolve("out"), ref = tmp.resolve("ref");
        demo.reference(ref);
        SparkGeneration.Summary first = SparkGeneration.run(spark, demo.job(out.toString()), demo.entries(), log());
        assertEquals(8, first.outputs());
        assertEquals(8, first.written(), first.toString());
        assertTrue(first.failures().isEmpty(), first.toString());
        Map<String, byte[]> ours = DemoBatch.files(out), theirs = DemoBatch.files(ref);
        assertEquals(theirs.keySet(), ours.keySet(), "the same files, no temporary or .crc files");
        assertEquals(16, ours.size());
        theirs.forEach((name, bytes) -> assertArrayEquals(bytes, ours.get(name), name));

        Map<String, Long> before = DemoBatch.times(out);
        Thread.sleep(20);
        int jobs = spark.context().sc().statusTracker().getJobIdsForGroup(null).length;
        SparkGeneration.Summary again = SparkGeneration.run(spark, demo.job(out.toString()), demo.entries(), log());
        assertEquals(0, again.written());
        assertEquals(8, again.skipped());
        assertEquals(before, DemoBatch.times(out), "nothing rewritten");
        assertEquals(jobs, spark.context().sc().statusTracker().getJobIdsForGroup(null).length, "no Spark job was started");
    }

    @Test void aFailedItemIsReportedAndTheOthersAreWritten() throws Exception {
        Path out = tmp.resolve("partly");
        var entries = new java.util.ArrayList<>(demo.entries().subList(0, 2));
        entries.add(1, new BatchEntry("bad", java.util.List.of("missing.png"), "bad"));
        SparkGeneration.Summary s = SparkGeneration.run(spark, demo.job(out.toString()), entries, log());
        assertEquals(2, s.failures().size(), s.toString());
        assertTrue(s.failures().get(0).reason().contains("missing.png"), s.failures().get(0).reason());
        assertEquals(4, s.written());
        assertTrue(Files.isRegularFile(out.resolve("item0_1.png")) && Files.isRegularFile(out.resolve("item1_0.json")));
        assertTrue(!Files.exists(out.resolve("bad_0.png")));
        assertTrue(LOG.toString(StandardCharsets.UTF_8).contains("(bad_0.png) failed"), LOG.toString(StandardCharsets.UTF_8));
    }

    private static PrintStream log() { return new PrintStream(LOG, true, StandardCharsets.UTF_8); }
}
