package org.uso4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.core.backend.MatmulPrecision;
import org.uso4j.pipeline.generate.BatchEntry;
import org.uso4j.pipeline.generate.BatchGeneration;
import org.uso4j.pipeline.generate.GenerationRequest;
import org.uso4j.pipeline.generate.ModelFiles;
import org.uso4j.pipeline.generate.PipelineOptions;
import org.uso4j.pipeline.generate.Progress;
import org.uso4j.pipeline.generate.DemoModel;
import org.uso4j.pipeline.generate.UsoPipeline;

/**
 * The tiny demo model set and a batch over the repository's example images (t2i, subject, style, style-subject,
 * several images per prompt) for the Spark tests, with the single-machine reference run ({@link BatchGeneration#run},
 * what {@code uso4j generate} runs) to compare the jobs' files with.
 */
record DemoBatch(Path models, Path batch, List<BatchEntry> entries, GenerationRequest template, int imagesPerPrompt) {
    /** Exact float32 products: bitwise the same for any thread count, so executors of any size must match the reference. */
    record F32(int threads) implements BackendFactory {
        @Override public org.uso4j.core.backend.Backend create(int cores) { return new CpuBackend(threads, MatmulPrecision.F32); }
    }

    static DemoBatch stage(Path dir, int items, int imagesPerPrompt, int side, int steps) {
        try {
            Path models = dir.resolve("models");
            DemoModel.write(models, 7);
            Path data = Files.createDirectories(dir.resolve("data"));
            Path examples = Path.of(System.getProperty("user.dir")).getParent().resolve("examples");
            Files.copy(examples.resolve("subject.png"), data.resolve("subject.png"));
            Files.copy(examples.resolve("style.png"), data.resolve("style.png"));
            String[] kinds = {"[\"\"]", "[\"subject.png\"]", "[\"\", \"style.png\"]", "[\"subject.png\", \"style.png\"]"};
            StringBuilder json = new StringBuilder("[");
            for (int i = 0; i < items; i++) {
                if (i > 0) json.append(",\n");
                json.append("{\"prompt\": \"A cat sleeping on a chair, take ").append(i).append(".\", \"image_paths\": ").append(kinds[i % kinds.length])
                        .append(i % 3 == 2 ? "" : ", \"save_dir\": \"item" + i + "\"").append('}');
            }
            Path batch = Files.writeString(data.resolve("batch.json"), json.append("]").toString());
            GenerationRequest template = GenerationRequest.builder("").size(side, side).steps(steps).contentLongSide(side).build();
            return new DemoBatch(models, batch, BatchEntry.read(batch), template, imagesPerPrompt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sidecar arguments of both runs (the same save_path string, wherever each writes). */
    Map<String, Object> sidecarArgs() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("eval_json_path", batch.toString());
        a.put("num_images_per_prompt", imagesPerPrompt);
        a.put("save_path", "output/batch");
        return a;
    }

    GenerationJob job(String savePath) { return job(savePath, ModelSet.local(modelFiles())); }

    GenerationJob job(String savePath, ModelSet models) {
        return new GenerationJob(models, PipelineOptions.defaults(), new F32(2), template, imagesPerPrompt, false, false,
                sidecarArgs(), SparkGeneration.qualify(savePath), batch.getParent().toString());
    }

    ModelFiles modelFiles() { return ModelFiles.discover(models, Map.of()); }

    /** The single-machine run into {@code out}. */
    void reference(Path out) {
        try (UsoPipeline p = UsoPipeline.open(modelFiles(), new F32(2).create(2), PipelineOptions.defaults())) {
            BatchGeneration.run(p, entries, batch.getParent(), new BatchGeneration.Settings(template, imagesPerPrompt, out, false, false,
                    sidecarArgs(), BatchGeneration.Existing.SKIP), () -> Progress.NONE);
        }
    }

    /** Every file under {@code dir} (relative name → bytes), hidden ones included. */
    static Map<String, byte[]> files(Path dir) {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) m.put(dir.relativize(p).toString(), Files.readAllBytes(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    /** Last-modified times of every file under {@code dir}. */
    static Map<String, Long> times(Path dir) {
        Map<String, Long> m = new HashMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) m.put(dir.relativize(p).toString(), Files.getLastModifiedTime(p).toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }
}
