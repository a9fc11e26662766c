package org.uso4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.pipeline.generate.DemoModel;
import org.uso4j.pipeline.generate.ModelComponent;

/**
 * Models from a Hadoop URI ({@code file:} here): on {@code local[2]} the same outputs bit for bit as from the plain
 * path, each file copied once into the node's cache and reused; a corrupted cached copy is replaced; a source that does
 * not match its {@code .sha256} sidecar is refused, naming the file and both hashes.
 */
@Tag("spark")
class ModelCacheTest {
    @TempDir static Path tmp;
    static DemoBatch demo;
    static SparkRun spark;
    static final PrintStream LOG = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @BeforeAll static void start() {
        demo = DemoBatch.stage(tmp, 2, 1, 48, 2);
        spark = SparkRun.start(SparkMaster.parse("local[2]"), "uso4j test", LOG);
    }

    @AfterAll static void stop() {
        if (spark != null) spark.close();
    }

    @Test void uriModelsGiveThePlainPathsOutputsAndTheSecondRunUsesTheCache() throws Exception {
        Path cache = tmp.resolve("cache");
        ModelSet remote = RemoteModels.resolve(demo.models().toUri().toString(), Map.of(), cache.toString());
        assertEquals(ModelComponent.values().length, remote.remote().size());
        assertTrue(remote.local().isEmpty());
        int files = remote.remote().values().stream().mapToInt(r -> r.files().size()).sum();

        run("plain1", ModelSet.local(demo.modelFiles()));
        int before = ModelCache.copies();
        run("uri1", remote);
        assertEquals(files, ModelCache.copies() - before, "each model file copied once");
        assertSameFiles("plain1", "uri1");
        Map<String, Long> cached = DemoBatch.times(cache);
        assertEquals(files + remote.remote().size(), cached.size(), "the files and one lock per model, no temporaries: " + cached.keySet());

        run("plain2", ModelSet.local(demo.modelFiles())); // the executor switches pipelines: the next URI run opens its models again
        Thread.sleep(20);
        run("uri2", remote);
        assertEquals(files, ModelCache.copies() - before, "the second run copied nothing");
        assertEquals(cached, DemoBatch.times(cache), "the cached files are untouched");
        assertSameFiles("plain1", "uri2");
    }

    @Test void aCorruptedOrTruncatedCachedCopyIsReplaced() throws Exception {
        Path cache = tmp.resolve("cache-corrupt");
        Path source = demo.modelFiles().get(ModelComponent.AE);
        RemoteModel ae = RemoteModels.manifest(new org.apache.hadoop.fs.Path(source.toUri()));
        Path copy = ModelCache.localize(ae, cache);
        assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(copy));
        int before = ModelCache.copies();
        assertEquals(copy, ModelCache.localize(ae, cache));
        assertEquals(before, ModelCache.copies(), "a matching copy is used as it is");

        byte[] bytes = Files.readAllBytes(copy);
        bytes[bytes.length / 2] ^= 1;
        Files.write(copy, bytes); // same size, other content
        assertEquals(copy, ModelCache.localize(ae, cache));
        assertEquals(before + 1, ModelCache.copies());
        assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(copy));

        Files.write(copy, java.util.Arrays.copyOf(bytes, 10));
        ModelCache.localize(ae, cache);
        assertEquals(before + 2, ModelCache.copies());
        assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(copy));
    }

    @Test void aSourceThatDoesNotMatchItsSidecarIsRefused() throws Exception {
        Path models = tmp.resolve("sidecar-models");
        DemoModel.write(models, 7);
        Path ae = models.resolve("weights/FLUX.1-dev/ae.safetensors");
        String wrong = "ab".repeat(32), actual = ModelCache.digest(ae);
        Files.writeString(ae.resolveSibling("ae.safetensors.sha256"), wrong + "  ae.safetensors\n");
        Path cache = tmp.resolve("cache-sidecar");
        ModelSet set = RemoteModels.resolve("file://" + models, Map.of(), cache.toString());
        assertEquals(wrong, set.remote().get(ModelComponent.AE).files().get(0).sha256(), "the driver took the sidecar's hash");

        SparkGeneration.Summary s = SparkGeneration.run(spark, demo.job(tmp.resolve("refused").toString(), set), demo.entries(), LOG);
        assertEquals(s.outputs(), s.failures().size(), s.toString());
        String reason = s.failures().get(0).reason();
        assertTrue(reason.contains("ae.safetensors") && reason.contains("expected " + wrong) && reason.contains(actual)
                && reason.contains("sidecar"), reason);
        try (Stream<Path> files = Files.walk(cache)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith("ae.safetensors") || p.toString().endsWith(".tmp")),
                    "no copy of the refused file is kept");
        }
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> set.localFiles());
        assertTrue(again.getMessage().contains(ae.toString()), again.getMessage());
    }

    @Test void aMissingComponentOrAMalformedSidecarIsAClearError() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty-models"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RemoteModels.resolve(empty.toUri().toString(), Map.of(), null));
        assertTrue(e.getMessage().contains("not found under file:" + empty) && e.getMessage().contains("weights/FLUX.1-dev/flux1-dev.safetensors"),
                e.getMessage());
        Path file = Files.writeString(tmp.resolve("lora.safetensors"), "x");
        Path sidecar = Files.writeString(tmp.resolve("lora.safetensors.sha256"), "not-a-hash lora.safetensors");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> RemoteModels.manifest(new org.apache.hadoop.fs.Path(file.toUri())));
        assertTrue(bad.getMessage().contains(sidecar.toString()) && bad.getMessage().contains("'not-a-hash'"), bad.getMessage());
    }

    private static void run(String out, ModelSet models) {
        SparkGeneration.Summary s = SparkGeneration.run(spark, demo.job(tmp.resolve(out).toString(), models), demo.entries(), LOG);
        assertTrue(s.failures().isEmpty(), s.toString());
        assertEquals(s.outputs(), s.written(), s.toString());
    }

    private static void assertSameFiles(String a, String b) {
        Map<String, byte[]> x = DemoBatch.files(tmp.resolve(a)), y = DemoBatch.files(tmp.resolve(b));
        assertEquals(x.keySet(), y.keySet());
        assertEquals(2 * 2, x.size());
        x.forEach((name, bytes) -> assertArrayEquals(bytes, y.get(name), name));
    }
}
