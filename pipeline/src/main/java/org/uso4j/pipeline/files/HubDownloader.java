package org.uso4j.pipeline.files;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.uso4j.pipeline.files.DownloadException.Kind;
import org.uso4j.pipeline.files.DownloadResult.Status;

/**
 * Fetches catalog files from a Hugging Face hub into a models folder, like {@code hf_hub_download(local_dir=...)}:
 * bytes go to {@code <file>.part}, an interrupted transfer resumes with an HTTP {@code Range}, the result is
 * checked against the size and sha256 (or git blob sha1) the hub announces, and only then renamed atomically
 * to its final name. A file already there with the announced size is skipped. Nothing is ever written under
 * the final name unless it passed the checks.
 */
public final class HubDownloader {
    /**
     * @param maxAttempts   transfer attempts in a row without progress before giving up (an attempt that
     *                      made progress resets the count)
     * @param retryDelay    pause before the first retry, doubled each time (at most 60 s)
     * @param stallTimeout  a transfer that receives nothing for this long is cut and retried
     * @param timeout       connect timeout and time to wait for response headers
     * @param verifyPresent hash files that are already present and re-fetch them on a mismatch
     */
    public record Options(int maxAttempts, Duration retryDelay, Duration stallTimeout, Duration timeout, boolean verifyPresent) {
        public Options {
            if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts < 1");
            Objects.requireNonNull(retryDelay);
            Objects.requireNonNull(stallTimeout);
            Objects.requireNonNull(timeout);
        }

        public static Options defaults() {
            return new Options(6, Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(60), false);
        }

        public Options withVerifyPresent(boolean v) {
            return new Options(maxAttempts, retryDelay, stallTimeout, timeout, v);
        }
    }

    private static final int BUFFER = 1 << 20;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");

    private final HubClient client;
    private final Options options;
    private final DownloadListener listener;

    public HubDownloader(HubEndpoint endpoint, Optional<String> token, Options options, DownloadListener listener) {
        this.options = Objects.requireNonNull(options);
        this.listener = Objects.requireNonNull(listener);
        this.client = new HubClient(endpoint, token, options.timeout());
    }

    /** Where {@code file} goes under {@code modelsDir}; refuses paths that would leave it. */
    public static Path targetOf(Path modelsDir, WeightFile file) {
        Path root = modelsDir.toAbsolutePath().normalize();
        Path t = root.resolve(file.localPath()).normalize();
        if (!t.startsWith(root) || t.equals(root)) throw new IllegalArgumentException("local path leaves the models folder: " + file.localPath());
        return t;
    }

    /** The partial file next to {@code target}. */
    public static Path partOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    /**
     * Fetches every file, going on after a failure; a repository that refused access is not asked again
     * for its other files. One result per file, in order.
     */
    public List<DownloadResult> fetchAll(List<WeightFile> files, Path modelsDir) throws InterruptedException {
        List<DownloadResult> results = new ArrayList<>();
        Map<String, String> refusedRepos = new HashMap<>();
        for (WeightFile f : files) {
            String refused = refusedRepos.get(f.repo());
            DownloadResult r;
            if (refused != null && !Files.isRegularFile(targetOf(modelsDir, f))) {
                r = new DownloadResult(f, targetOf(modelsDir, f), Status.FAILED, 0, "skipped: " + f.repo() + " refused access (see above)");
                listener.finished(r);
            } else {
                r = fetch(f, modelsDir);
                if (r.status() == Status.FAILED && r.note().startsWith("[" + Kind.ACCESS + "]")) refusedRepos.put(f.repo(), r.note());
            }
            results.add(r);
        }
        return results;
    }

    /** Fetches one file; failures come back as a {@link Status#FAILED} result whose note starts with {@code [KIND]}. */
    public DownloadResult fetch(WeightFile f, Path modelsDir) throws InterruptedException {
        Path target = targetOf(modelsDir, f);
        DownloadResult r;
        try {
            r = fetchOrThrow(f, target);
        } catch (DownloadException e) {
            r = new DownloadResult(f, target, Status.FAILED, sizeOr0(partOf(target)), "[" + e.kind() + "] " + e.getMessage());
        } catch (InterruptedIOException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedException("download of " + f.source() + " interrupted; run again to resume");
        } catch (IOException e) {
            r = new DownloadResult(f, target, Status.FAILED, sizeOr0(partOf(target)), "[" + Kind.LOCAL + "] " + target + ": " + e);
        }
        listener.finished(r);
        return r;
    }

    private DownloadResult fetchOrThrow(WeightFile f, Path target) throws IOException, InterruptedException {
        boolean exists = Files.isRegularFile(target);
        if (Files.exists(target) && !exists) throw new DownloadException(Kind.LOCAL, target + " exists and is not a regular file");
        RemoteFile meta;
        try {
            meta = headWithRetries(f);
        } catch (DownloadException e) {
            if (exists) return new DownloadResult(f, target, Status.KEPT, Files.size(target), "not checked against the hub: " + e.getMessage());
            throw e;
        }
        if (exists) {
            long have = Files.size(target);
            if (!meta.sizeKnown()) return new DownloadResult(f, target, Status.PRESENT, have, "present (the hub sent no size to compare)");
            if (have == meta.size()) {
                if (!options.verifyPresent()) return new DownloadResult(f, target, Status.PRESENT, have, "present, size matches");
                ContentDigest d = ContentDigest.forFile(meta);
                if (!d.checks()) return new DownloadResult(f, target, Status.PRESENT, have, "present, size matches (no checksum announced)");
                d.rehash(target);
                if (d.mismatch().isEmpty()) return new DownloadResult(f, target, Status.PRESENT, have, "present, " + d.algorithm() + " matches");
            }
            // size (or checksum) differs from the hub's: fetch anew; the old file stays until the new one is verified
        }
        return download(f, target, meta);
    }

    private RemoteFile headWithRetries(WeightFile f) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.head(f);
            } catch (DownloadException e) {
                if (!e.retryable() || attempt >= options.maxAttempts()) throw e;
                listener.retrying(f, e.getMessage(), attempt, options.maxAttempts());
            } catch (IOException e) {
                if (e instanceof InterruptedIOException) throw new InterruptedException(e.getMessage());
                if (attempt >= options.maxAttempts())
                    throw new DownloadException(Kind.NETWORK, f.source() + ": cannot reach the hub: " + e, e);
                listener.retrying(f, e.toString(), attempt, options.maxAttempts());
            }
            pause(attempt);
        }
    }

    private DownloadResult download(WeightFile f, Path target, RemoteFile meta) throws IOException, InterruptedException {
        Files.createDirectories(target.getParent());
        Path part = partOf(target);
        if (Files.exists(part) && !Files.isRegularFile(part)) throw new DownloadException(Kind.LOCAL, part + " exists and is not a regular file");
        long expected = meta.size();
        long resumable = sizeOr0(part);
        if (expected >= 0 && resumable > expected) { // not this file's prefix: start over
            Files.delete(part);
            resumable = 0;
        }
        requireSpace(target, expected, resumable);
        listener.started(f, target, expected, resumable);
        ContentDigest digest = ContentDigest.forFile(meta);
        digest.rehash(part); // a .part from an earlier run: its bytes are part of the checksum (reads them once)
        int failures = 0;
        while (true) {
            long have = sizeOr0(part);
            if (expected >= 0 && have > expected) { // not this file's prefix: start over
                Files.delete(part);
                digest.reset();
                have = 0;
            }
            if (expected >= 0 && have == expected && Files.exists(part)) break;
            try {
                long got = transfer(f, part, have, expected, digest);
                if (expected < 0 || got == expected) break;
                throw new EOFException("connection closed at byte " + got + " of " + expected);
            } catch (IOException | DownloadException e) {
                if (e instanceof InterruptedIOException) throw (InterruptedIOException) e;
                if (e instanceof DownloadException de && !de.retryable()) throw de;
                failures = sizeOr0(part) > have ? 1 : failures + 1;
                if (failures >= options.maxAttempts())
                    throw new DownloadException(Kind.NETWORK, f.source() + ": giving up after " + failures + " attempts without progress ("
                            + e.getMessage() + "); " + sizeOr0(part) + " bytes are kept in " + part + ", run again to resume", e);
                listener.retrying(f, String.valueOf(e.getMessage()), failures, options.maxAttempts());
                pause(failures);
            }
        }
        long size = Files.size(part);
        String bad = digest.mismatch();
        if (!bad.isEmpty()) {
            Files.deleteIfExists(part);
            throw new DownloadException(Kind.INTEGRITY, f.source() + ": " + digest.algorithm() + " of the downloaded bytes is " + bad
                    + " but the hub announced " + digest.expected() + "; the partial file was deleted, run again to fetch it anew");
        }
        move(part, target);
        String checked = (expected >= 0 ? "size" : "") + (digest.checks() ? (expected >= 0 ? " and " : "") + digest.algorithm() : "");
        return new DownloadResult(f, target, Status.DOWNLOADED, size, checked.isEmpty() ? "downloaded (nothing announced to check)" : checked + " checked");
    }

    /** One GET from byte {@code have}; appends to {@code part}, returns the bytes in it afterwards. */
    private long transfer(WeightFile f, Path part, long have, long expected, ContentDigest digest) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = client.get(f, have);
        try (InputStream in = r.body()) {
            int s = r.statusCode();
            if (s == 416) { // the server has nothing after byte `have`
                long total = contentRangeTotal(r);
                if (expected < 0 && total == have && have > 0) return have;
                Files.deleteIfExists(part);
                digest.reset();
                throw new IOException("range from byte " + have + " refused (HTTP 416); starting over");
            }
            boolean append = s == 206;
            long total = expected; // what the whole file must come to
            if (append) {
                String cr = r.headers().firstValue("Content-Range").orElse("missing");
                Matcher m = CONTENT_RANGE.matcher(cr);
                if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                    Files.deleteIfExists(part);
                    digest.reset();
                    throw new IOException("partial answer does not start at byte " + have + " (Content-Range " + cr + "); starting over");
                }
                long rangeTotal = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
                if (rangeTotal >= 0 && expected >= 0 && rangeTotal != expected)
                    throw new DownloadException(Kind.INTEGRITY, f.source() + ": the server's file has " + rangeTotal
                            + " bytes, the hub announced " + expected);
                if (total < 0) total = rangeTotal;
            } else { // 200: the whole file, from byte 0
                long len = HubClient.longHeader(r.headers(), "Content-Length").orElse(-1);
                if (len >= 0 && expected >= 0 && len != expected)
                    throw new DownloadException(Kind.INTEGRITY, f.source() + ": the server sends " + len + " bytes, the hub announced " + expected);
                if (total < 0) total = len;
                digest.reset();
            }
            if (digest.bytes() != (append ? have : 0)) digest.rehash(part); // keep the checksum in step with the file
            long got = copy(f, in, part, append, total, digest);
            if (total >= 0 && got != total) throw new EOFException("connection closed at byte " + got + " of " + total);
            return got;
        }
    }

    /** Streams {@code in} into {@code part}; a watchdog closes the stream when nothing arrives for the stall timeout. */
    private long copy(WeightFile f, InputStream in, Path part, boolean append, long expected, ContentDigest digest) throws IOException {
        AtomicLong lastData = new AtomicLong(System.nanoTime());
        AtomicBoolean done = new AtomicBoolean();
        AtomicBoolean stalled = new AtomicBoolean();
        long stallNanos = options.stallTimeout().toNanos();
        Thread watchdog = Thread.ofVirtual().name("uso4j-download-watchdog").start(() -> {
            long tick = Math.max(1, Math.min(1000, options.stallTimeout().toMillis() / 4));
            while (!done.get()) {
                try {
                    Thread.sleep(tick);
                } catch (InterruptedException e) {
                    return;
                }
                if (!done.get() && System.nanoTime() - lastData.get() > stallNanos) {
                    stalled.set(true);
                    try {
                        in.close();
                    } catch (IOException ignored) {
                        // closing only unblocks the reader
                    }
                    return;
                }
            }
        });
        StandardOpenOption mode = append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            long pos = out.size();
            byte[] buf = new byte[BUFFER];
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    if (stalled.get()) throw new IOException("no data for " + options.stallTimeout().toSeconds() + " s at byte " + pos);
                    throw e;
                }
                if (n < 0) break;
                if (n == 0) continue;
                lastData.set(System.nanoTime());
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) out.write(bb);
                digest.update(buf, 0, n);
                pos += n;
                listener.progress(f, pos, expected);
            }
            if (stalled.get()) throw new IOException("no data for " + options.stallTimeout().toSeconds() + " s at byte " + pos);
            out.force(false);
            return pos;
        } finally {
            done.set(true);
            watchdog.interrupt();
        }
    }

    private static long contentRangeTotal(HttpResponse<?> r) {
        String cr = r.headers().firstValue("Content-Range").orElse("");
        Matcher m = Pattern.compile("bytes\\s+\\*/(\\d+)").matcher(cr);
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static void requireSpace(Path target, long expected, long have) throws IOException {
        if (expected < 0) return;
        long need = expected - have;
        long free = Files.getFileStore(target.getParent()).getUsableSpace();
        if (need > free)
            throw new DownloadException(Kind.LOCAL, target + " needs " + ProgressLine.bytes(need) + " more, but only "
                    + ProgressLine.bytes(free) + " are free in " + target.getParent());
    }

    private static void move(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void pause(int attempt) throws InterruptedException {
        long ms = options.retryDelay().toMillis();
        if (ms <= 0) return;
        Thread.sleep(Math.min(60_000L, ms << Math.min(attempt - 1, 16)));
    }

    private static long sizeOr0(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
