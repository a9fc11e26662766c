package org.uso4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's memory from /proc/self/status (-1 where unavailable): resident set now ({@code VmRSS}), split into
 * anonymous memory (Java heap, native buffers: {@code RssAnon}) and mapped file pages (memory-mapped weights:
 * {@code RssFile}), and the peak resident set since start ({@code VmHWM}).
 */
public record ProcessMemory(long rssBytes, long anonBytes, long fileBytes, long peakBytes) {

    public static ProcessMemory now() {
        long rss = -1, anon = -1, file = -1, hwm = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) rss = kib(line);
                else if (line.startsWith("RssAnon:")) anon = kib(line);
                else if (line.startsWith("RssFile:")) file = kib(line);
                else if (line.startsWith("VmHWM:")) hwm = kib(line);
            }
        } catch (IOException | SecurityException e) {
            // not Linux: all -1
        }
        return new ProcessMemory(rss, anon, file, hwm);
    }

    private static long kib(String line) {
        String[] p = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        return Long.parseLong(p[0]) * 1024;
    }

    @Override public String toString() {
        return String.format("RSS %.2f GiB (anon %.2f, file %.2f), peak %.2f GiB", rssBytes / GIB, anonBytes / GIB, fileBytes / GIB, peakBytes / GIB);
    }

    private static final double GIB = 1L << 30;
}
