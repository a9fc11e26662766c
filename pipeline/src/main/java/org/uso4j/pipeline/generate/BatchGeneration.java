package org.uso4j.pipeline.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.uso4j.pipeline.image.ImageDecoder;
import org.uso4j.pipeline.image.PngFile;
import org.uso4j.pipeline.image.RgbImage;

/**
 * The loop of the official {@code inference.py main()}: for every batch item i and image j < num_images_per_prompt,
 * generate with seed + j and write {@code <save_path>/<save_dir>_<j>.png} (or {@code <i>_<j>.png}) plus the JSON
 * sidecar ({@code vars(args)} with the item's prompt and image_paths, indent 4). What happens to names that are
 * taken is {@link Existing}: batches resume (an item whose PNG and sidecar both exist is skipped), single prompts
 * take the next free number, or everything is overwritten. Files are written under temporary names unique to this
 * writer and published with {@link ResultFiles}, so an interrupted run leaves no partial file under a final name and
 * two runs on one folder never overwrite each other's images.
 */
public final class BatchGeneration {
    /** What to do with an image whose official name is taken. */
    public enum Existing {
        /** Resume a batch: an item whose PNG and sidecar both exist is skipped; one taken meanwhile gets {@code <stem>-<k>}. */
        SKIP,
        /** Write a new file: the item number moves on to the first free one ({@code 0_0} taken → {@code 1_0}). */
        NEW_NAME,
        /** Replace the files under the official name. */
        OVERWRITE
    }

    /** What the loop reports. */
    public interface Listener {
        default void started(int index, int total, Path png) { }
        default void skipped(int index, int total, Path png) { }
        default void finished(int index, int total, Path png, GenerationResult result) { }
        Progress progress();
    }

    /**
     * The run's settings.
     *
     * @param template       request settings (prompt and images are replaced per item; seed is the base seed)
     * @param imagesPerPrompt official {@code num_images_per_prompt}
     * @param savePath       output folder
     * @param concatRefs     append the reference images to the right of each result (official {@code --concat_refs})
     * @param instructEdit   size the output from the content image (official {@code --instruct_edit})
     * @param sidecarArgs    the official InferenceArgs as the sidecar writes them (prompt/image_paths overwritten per item)
     * @param existing       what to do with taken names
     */
    public record Settings(GenerationRequest template, int imagesPerPrompt, Path savePath, boolean concatRefs, boolean instructEdit,
                           Map<String, Object> sidecarArgs, Existing existing) {
        public Settings {
            sidecarArgs = new LinkedHashMap<>(sidecarArgs);
            if (existing == null) throw new IllegalArgumentException("existing: must be SKIP, NEW_NAME or OVERWRITE");
            if (imagesPerPrompt < 1) throw new IllegalArgumentException("num_images_per_prompt: must be >= 1, got " + imagesPerPrompt);
        }
    }

    private BatchGeneration() {}

    /**
     * One image of a batch: item {@code item}'s image {@code image} (seed + image), under the official name
     * {@code <stem>.png} + {@code <stem>.json} (batch runs and the Spark job write these names).
     */
    public record Output(int item, int image, BatchEntry entry) implements Serializable {
        /** {@code <save_dir>_<j>}, or {@code <i>_<j>} for an item without save_dir (official inference.py). */
        public String stem() { return entry.saveDir() != null ? entry.saveDir() + "_" + image : item + "_" + image; }

        public String pngName() { return stem() + ".png"; }

        public String jsonName() { return stem() + ".json"; }
    }

    /** A finished output, encoded: the PNG (with its text chunks) and the sidecar bytes exactly as they are written. */
    public record Encoded(byte[] png, byte[] json, GenerationResult result) {}

    /** Every output of a batch, in the order the loop runs them. */
    public static List<Output> outputs(List<BatchEntry> entries, int imagesPerPrompt) {
        List<Output> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) for (int j = 0; j < imagesPerPrompt; j++) out.add(new Output(i, j, entries.get(i)));
        return out;
    }

    /** Runs every item; returns the number of images written (skipped ones not counted). */
    public static int run(UsoPipeline pipeline, List<BatchEntry> entries, Path dataRoot, Settings s, Listener listener) {
        ImageDecoder decoder = new ImageDecoder();
        requireWritable(s.savePath());
        checkImages(decoder, entries, dataRoot, s.template().contentLongSide());
        List<Output> outputs = outputs(entries, s.imagesPerPrompt());
        int total = outputs.size(), written = 0, number = 0;
        for (int index = 0; index < total; index++) {
            Output o = outputs.get(index);
            BatchEntry e = o.entry();
            if (o.image() == 0) {
                number = s.existing() == Existing.NEW_NAME && e.saveDir() == null ? firstFreeNumber(s.savePath(), o.item(), s.imagesPerPrompt()) : o.item();
            }
            int n = number, j = o.image();
            String stem = e.saveDir() != null ? o.stem() : n + "_" + j;
            Path png = ResultFiles.png(s.savePath(), stem), json = ResultFiles.json(s.savePath(), stem);
            if (s.existing() == Existing.SKIP && Files.isRegularFile(png) && Files.isRegularFile(json)) {
                listener.skipped(index, total, png);
                continue;
            }
            listener.started(index, total, png);
            Encoded enc = generate(pipeline, decoder, dataRoot, s, o, listener.progress());
            ResultFiles.Stems names = e.saveDir() == null ? k -> (n + k) + "_" + j : k -> k == 0 ? stem : stem + "-" + k;
            Path wrote = s.existing() == Existing.OVERWRITE ? ResultFiles.replace(s.savePath(), stem, enc.png(), enc.json())
                    : ResultFiles.claimFirstFree(s.savePath(), names, enc.png(), enc.json());
            written++;
            listener.finished(index, total, wrote, enc.result());
        }
        return written;
    }

    /** The output folder exists (or is created) and takes a file: found before the run, not after it. */
    static void requireWritable(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".uso4j-write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("--save-path " + dir + ": cannot write there (" + e.getMessage() + ")", e);
        }
    }

    /** Decodes every image of every item once (and checks content images can be cropped) before the first generation. */
    private static void checkImages(ImageDecoder decoder, List<BatchEntry> entries, Path dataRoot, int contentLongSide) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            BatchEntry e = entries.get(i);
            for (String p : e.contents()) {
                RgbImage c = read(decoder, dataRoot, p);
                try {
                    org.uso4j.pipeline.image.ReferencePreprocess.requireCroppable(c.width(), c.height(), contentLongSide);
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException(p + " (item " + i + "): " + ex.getMessage(), ex);
                }
                seen.add(p);
            }
            for (String p : e.stylePaths()) if (!p.isEmpty() && seen.add(p)) read(decoder, dataRoot, p);
        }
    }

    private static RgbImage read(ImageDecoder decoder, Path root, String p) {
        Path path = root == null ? Path.of(p) : root.resolve(p);
        return decoder.read(path);
    }

    /** The first item number from {@code i} whose {@code <n>_<j>} names are all free, for every image j of the item. */
    private static int firstFreeNumber(Path dir, int i, int images) {
        for (int n = i; ; n++) {
            boolean free = true;
            for (int j = 0; j < images && free; j++) free = ResultFiles.free(dir, n + "_" + j);
            if (free) return n;
        }
    }

    /**
     * Generates one output and encodes its PNG (with its text chunks) and sidecar: the bytes {@link #run} writes and
     * the Spark job writes through another file system. Input images are read relative to {@code dataRoot} (null:
     * as given).
     */
    public static Encoded generate(UsoPipeline pipeline, ImageDecoder decoder, Path dataRoot, Settings s, Output o, Progress progress) {
        BatchEntry e = o.entry();
        List<RgbImage> content = new ArrayList<>(), style = new ArrayList<>(), all = new ArrayList<>();
        for (String p : e.contents()) content.add(read(decoder, dataRoot, p));
        for (String p : e.stylePaths()) if (!p.isEmpty()) style.add(read(decoder, dataRoot, p));
        all.addAll(content);
        all.addAll(style);
        GenerationRequest t = s.template();
        int w = t.width(), h = t.height();
        if (s.instructEdit()) {
            if (content.isEmpty()) throw new IllegalArgumentException("--instruct-edit needs a content image (item " + o.item() + ")");
            int[] size = org.uso4j.pipeline.image.ReferencePreprocess.resizedSize(content.get(0).width(), content.get(0).height(), t.contentLongSide());
            w = (int) (size[0] / 16 * 16 * (1024.0 / t.contentLongSide()));
            h = (int) (size[1] / 16 * 16 * (1024.0 / t.contentLongSide()));
        }
        GenerationRequest req = new GenerationRequest(e.prompt(), content, style, w, h, t.numSteps(), t.guidance(), t.seed() + o.image(),
                t.pe(), t.contentLongSide(), t.loraWeight(), t.posterior(), t.posteriorSeed());
        GenerationResult r = pipeline.generate(req, progress);
        RgbImage out = s.concatRefs() ? horizontalConcat(r.image(), all) : r.image();
        return new Encoded(PngFile.encode(out, r.pngText(pipeline.modelName())), sidecar(e, s, w, h, o.stem()), r);
    }

    private static byte[] sidecar(BatchEntry e, Settings s, int w, int h, String stem) {
        Map<String, Object> args = new LinkedHashMap<>(s.sidecarArgs());
        args.put("prompt", e.prompt());
        args.put("image_paths", e.imagePaths());
        if (!e.contentPaths().isEmpty()) args.put("content_paths", e.contentPaths());
        if (s.instructEdit()) {
            args.put("width", w);
            args.put("height", h);
        }
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writer(new PythonJsonIndent())
                    .writeValueAsString(args).getBytes(StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the sidecar of " + stem + ": " + ex.getMessage(), ex);
        }
    }

    /** The official {@code horizontal_concat}: images side by side, top-aligned, black background. */
    public static RgbImage horizontalConcat(RgbImage first, List<RgbImage> rest) {
        List<RgbImage> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        int width = all.stream().mapToInt(RgbImage::width).sum(), height = all.stream().mapToInt(RgbImage::height).max().orElse(0);
        byte[] rgb = new byte[width * height * 3];
        int x0 = 0;
        for (RgbImage im : all) {
            for (int y = 0; y < im.height(); y++) System.arraycopy(im.rgb(), y * im.width() * 3, rgb, (y * width + x0) * 3, im.width() * 3);
            x0 += im.width();
        }
        return new RgbImage(width, height, rgb);
    }
}
