package org.uso4j.pipeline.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.uso4j.pipeline.image.ImageDecoder;
import org.uso4j.pipeline.image.RgbImage;

/**
 * Scores a benchmark: for each item, its generated images (found in the images folder under the official names,
 * or obtained from the {@link ImageGenerator} hook) against its references and prompt, with the metrics of its
 * task ({@link PairScores}); per-item results are cached in {@code <out>/items/} and reused when their fingerprint
 * matches, so an interrupted run resumes. Items are processed in spec order; results do not depend on order or
 * on the cache.
 */
public final class Evaluation {
    /** Extensions tried for a generated image stem, in order. */
    static final List<String> IMAGE_EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".webp");
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final MetricModels models;
    private final ImageGenerator generator;
    private final PrintStream progress;
    private final ImageDecoder decoder = new ImageDecoder();
    private final Map<String, float[]> featureCache = new HashMap<>();

    public Evaluation(MetricModels models, ImageGenerator generator, PrintStream progress) {
        this.models = models;
        this.generator = generator;
        this.progress = progress;
    }

    /** Scores every item of {@code items} (a subset of {@code spec}), writing the per-item cache under {@code outDir}. */
    public EvalReport run(BenchmarkSpec spec, List<BenchmarkItem> items, Path imagesDir, Path outDir) {
        Path cacheDir = outDir.resolve("items");
        try {
            Files.createDirectories(cacheDir);
        } catch (IOException e) {
            throw new IllegalArgumentException(outDir + ": cannot create the output folder: " + e.getMessage(), e);
        }
        List<ItemResult> results = new ArrayList<>();
        int n = 0;
        for (BenchmarkItem item : items) {
            n++;
            List<Path> images = generatedImages(item, imagesDir);
            String fingerprint = fingerprint(item, images);
            Path cache = cacheDir.resolve(String.format(Locale.ROOT, "%05d.json", item.index()));
            ItemResult r = cached(cache, fingerprint);
            boolean reused = r != null;
            if (r == null) {
                r = score(item, images, fingerprint);
                ReportFiles.writeAtomically(cache, json(r));
            }
            results.add(r);
            if (progress != null) progress.printf(Locale.ROOT, "[%d/%d] item %d (%s, %d image%s)%s%s%n", n, items.size(), item.index(),
                    item.task().id(), images.size(), images.size() == 1 ? "" : "s", scores(r, item.task()), reused ? "  (cached)" : "");
        }
        return EvalReport.of(spec.file().toString(), imagesDir.toString(), results);
    }

    /** The item's generated images: {@code <stem>_0, _1, ...} while they exist; the generator when there is none. */
    List<Path> generatedImages(BenchmarkItem item, Path imagesDir) {
        List<Path> out = new ArrayList<>();
        for (int j = 0; ; j++) {
            Path found = null;
            for (String ext : IMAGE_EXTENSIONS) {
                Path p = imagesDir.resolve(item.imageStem(j) + ext);
                if (Files.isRegularFile(p)) {
                    found = p;
                    break;
                }
            }
            if (found == null) break;
            out.add(found);
        }
        return out.isEmpty() ? List.copyOf(generator.generate(item, imagesDir)) : out;
    }

    private ItemResult score(BenchmarkItem item, List<Path> images, String fingerprint) {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        for (Metric m : item.task().metrics()) {
            List<Double> v = new ArrayList<>();
            switch (m) {
                case CLIP_I -> pairs(images, item.contentRefs(), "clip", models::clipImage, v);
                case DINO -> pairs(images, item.contentRefs(), "dino", models::dinoImage, v);
                case CSD -> pairs(images, item.styleRefs(), "csd", models::csdStyle, v);
                case CLIP_T -> {
                    float[] text = models.clipText(item.prompt());
                    for (Path g : images) v.add(PairScores.clipT(PairScores.cosine(features("clip", g, models::clipImage), text)));
                }
            }
            values.put(m.key(), v);
        }
        return new ItemResult(item.index(), item.group(), item.task().id(), item.prompt(), images.stream().map(Path::toString).toList(),
                item.contentRefs().stream().map(Path::toString).toList(), item.styleRefs().stream().map(Path::toString).toList(), values, fingerprint);
    }

    /** The flattened |G| x |R| cosine matrix (row = generated image). */
    private void pairs(List<Path> gen, List<Path> refs, String kind, Function<RgbImage, float[]> f, List<Double> out) {
        List<float[]> g = gen.stream().map(p -> features(kind, p, f)).toList(), r = refs.stream().map(p -> features(kind, p, f)).toList();
        for (double[] row : PairScores.pairs(g, r)) for (double v : row) out.add(v);
    }

    /** Features of one image file, computed once per run (references are shared by many items). */
    private float[] features(String kind, Path file, Function<RgbImage, float[]> f) {
        return featureCache.computeIfAbsent(kind + "\u0000" + file.toAbsolutePath().normalize(), k -> f.apply(decoder.read(file)));
    }

    private String fingerprint(BenchmarkItem item, List<Path> images) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            update(md, item.prompt() + "\u0000" + item.task().id() + "\u0000" + item.group() + "\u0000" + models.identity());
            for (List<Path> files : List.of(images, item.contentRefs(), item.styleRefs())) {
                update(md, "\u0001");
                for (Path p : files) {
                    update(md, p.getFileName().toString());
                    md.update(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new IllegalArgumentException("item " + item.index() + ": cannot read " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest md, String s) { md.update(s.getBytes(StandardCharsets.UTF_8)); }

    private static ItemResult cached(Path file, String fingerprint) {
        if (!Files.isRegularFile(file)) return null;
        try {
            ItemResult r = JSON.readValue(file.toFile(), ItemResult.class);
            return fingerprint.equals(r.fingerprint()) ? r : null;
        } catch (IOException | RuntimeException e) {
            return null; // unreadable or from another version: recompute
        }
    }

    private static String json(ItemResult r) {
        try {
            return JSON.writeValueAsString(r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String scores(ItemResult r, TaskType t) {
        StringBuilder sb = new StringBuilder();
        for (Metric m : t.metrics()) sb.append(String.format(Locale.ROOT, "  %s %.4f", m.label(), r.score(m)));
        return sb.toString();
    }
}
