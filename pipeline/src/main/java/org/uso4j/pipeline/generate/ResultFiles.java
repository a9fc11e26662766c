package org.uso4j.pipeline.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.uso4j.pipeline.files.OutputFile;

/**
 * Puts one result's PNG and JSON sidecar under final names in the output folder without ever overwriting another
 * writer's result (unless asked to): both are staged under temporary names unique to this writer, then the PNG name
 * is claimed exclusively and the sidecar follows it; when another writer took the name first, the next candidate
 * name is tried. Whoever holds {@code <stem>.png} owns {@code <stem>.json}.
 */
final class ResultFiles {
    /** The candidate stems of one result: the {@code k}-th alternative to try (0 = the preferred name). */
    interface Stems {
        String candidate(int k);
    }

    private static final int MAX_CANDIDATES = 100_000;

    private ResultFiles() {}

    /** The stem-th PNG path in {@code dir}. */
    static Path png(Path dir, String stem) { return dir.resolve(stem + ".png"); }

    static Path json(Path dir, String stem) { return dir.resolve(stem + ".json"); }

    /** True when neither file of {@code stem} exists. */
    static boolean free(Path dir, String stem) { return Files.notExists(png(dir, stem)) && Files.notExists(json(dir, stem)); }

    /** Writes both files under the preferred stem, replacing what is there; returns the PNG path. */
    static Path replace(Path dir, String stem, byte[] png, byte[] json) {
        Path stagedPng = null, stagedJson = null;
        try {
            stagedPng = OutputFile.stage(png(dir, stem), png);
            stagedJson = OutputFile.stage(json(dir, stem), json);
            OutputFile.replace(stagedPng, png(dir, stem));
            stagedPng = null;
            OutputFile.replace(stagedJson, json(dir, stem));
            stagedJson = null;
            return png(dir, stem);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png(dir, stem) + ": " + e.getMessage(), e);
        } finally {
            OutputFile.discard(stagedPng);
            OutputFile.discard(stagedJson);
        }
    }

    /** Writes both files under the first candidate stem whose PNG name is free and can be claimed; returns the PNG path. */
    static Path claimFirstFree(Path dir, Stems stems, byte[] png, byte[] json) {
        Path stagedPng = null, stagedJson = null;
        try {
            for (int k = 0; k < MAX_CANDIDATES; k++) {
                String stem = stems.candidate(k);
                if (Files.exists(png(dir, stem))) continue;
                if (stagedPng == null) stagedPng = OutputFile.stage(png(dir, stem), png);
                if (!OutputFile.claim(stagedPng, png(dir, stem))) continue;  // another writer was faster
                stagedPng = null;
                stagedJson = OutputFile.stage(json(dir, stem), json);
                OutputFile.replace(stagedJson, json(dir, stem));
                stagedJson = null;
                return png(dir, stem);
            }
            throw new IllegalStateException(dir + ": no free output name after " + MAX_CANDIDATES + " tries (from " + stems.candidate(0) + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write into " + dir + ": " + e.getMessage(), e);
        } finally {
            OutputFile.discard(stagedPng);
            OutputFile.discard(stagedJson);
        }
    }
}
