package org.uso4j.app.server;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uso4j.pipeline.generate.GenerationCancelledException;
import org.uso4j.vulkan.VulkanException;
import org.uso4j.pipeline.generate.GenerationRequest;
import org.uso4j.pipeline.generate.GenerationResult;
import org.uso4j.pipeline.generate.NonFiniteException;
import org.uso4j.pipeline.generate.Progress;
import org.uso4j.pipeline.image.ImageFileException;
import org.uso4j.pipeline.image.PngFile;

/**
 * The job queue and its single worker thread: one generation at a time (the pipeline is not thread-safe), at most
 * {@code capacity} jobs waiting behind it. Every state change is written to the {@link JobStore} before it is
 * announced; a result PNG is written (atomically, carrying the job's record as text) before the job is marked
 * succeeded, so a crash between the two loses nothing ({@link RestartRecovery} reads it back).
 */
final class JobRunner implements AutoCloseable {
    /** PNG text keyword holding the job record JSON. */
    public static final String PNG_JOB_KEY = "uso4j.job";
    /** The error of jobs that were running or queued when the server was stopped (SIGTERM, Ctrl-C). */
    static final String STOPPED = "interrupted: the server stopped before the job finished";
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final Generation generation;
    private final JobStore store;
    private final LinkedBlockingQueue<Job> queue;
    private final Map<String, Job> active = new ConcurrentHashMap<>();
    private final Deque<Double> recentSeconds = new ArrayDeque<>();
    private final Thread worker;
    private volatile boolean stopping;

    public JobRunner(Generation generation, JobStore store, int capacity) {
        this.generation = generation;
        this.store = store;
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.worker = Thread.ofPlatform().name("uso4j-generation").daemon(true).unstarted(this::work);
    }

    public void start() { worker.start(); }

    /** Queues a job, or refuses with 429 when the queue is full (Retry-After: a typical generation's duration). */
    Job submit(GenerationRequest request) {
        String id = UUID.randomUUID().toString();
        JobRecord r = new JobRecord(id, JobStatus.QUEUED, System.currentTimeMillis(), null, null, Json.write(request.settings()), null, null, null);
        Job job = new Job(id, request, r);
        synchronized (this) {
            if (stopping) throw new ApiException(503, null, "the server is stopping");
            if (queue.remainingCapacity() == 0) {
                throw new QueueFullException(queue.size(), retryAfterSeconds());
            }
            store.insert(r);
            active.put(id, job);
            queue.add(job);
            announcePositions();
        }
        return job;
    }

    /** Refuses early (before a body is read and its images decoded) when the queue is already full. */
    void checkCapacity() {
        if (queue.remainingCapacity() == 0) throw new QueueFullException(queue.size(), retryAfterSeconds());
    }

    Optional<Job> active(String id) { return Optional.ofNullable(active.get(id)); }

    Collection<Job> activeJobs() { return active.values(); }

    /** Cancels a queued job at once (freeing its slot) or asks the running one to stop at its next step. */
    JobStatus cancel(Job job) {
        job.requestCancel();
        synchronized (this) {
            if (queue.remove(job)) {
                finish(job, job.record().withStatus(JobStatus.CANCELLED));
                announcePositions();
                return JobStatus.CANCELLED;
            }
        }
        return job.record().status();
    }

    public int queued() { return queue.size(); }

    private void work() {
        while (!stopping) {
            Job job;
            try {
                // polled, never interrupted: an interrupt during a generation would close the weights' file channels
                job = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (job == null) continue;
            synchronized (this) {
                announcePositions();
            }
            if (job.cancelRequested()) {
                finish(job, job.record().withStatus(JobStatus.CANCELLED));
                continue;
            }
            run(job);
        }
    }

    private void run(Job job) {
        long start = System.currentTimeMillis();
        job.running(start);
        store.put(job.record());
        Progress progress = new Progress() {
            @Override public void stage(String name) { job.stage(name); }

            @Override public void step(int step, int total, double stepSeconds, double etaSeconds, Preview preview) {
                job.step(step, total, stepSeconds, etaSeconds, preview == null ? null : PreviewImage.dataUrl(preview));
            }

            @Override public boolean cancelled() { return job.cancelRequested() || stopping; }

            @Override public void loaded(String summary, double seconds) {
                summary.lines().forEach(line -> LOG.info("loaded {} [{} s]", line, String.format(java.util.Locale.ROOT, "%.1f", seconds)));
            }
        };
        JobRecord running = job.record();
        try {
            GenerationResult result = generation.generate(job.request, progress);
            long end = System.currentTimeMillis();
            String image = job.id + ".png";
            Map<String, Object> settings = new LinkedHashMap<>(job.request.settings()); // the request's order, then the engine's additions
            result.settings().forEach(settings::putIfAbsent);
            JobRecord done = new JobRecord(job.id, JobStatus.SUCCEEDED, running.createdMs(), start, end, Json.write(settings), null,
                    Math.round(result.seconds() * 1000) / 1000.0, image);
            PngFile.write(store.imagesDir().resolve(image), result.image(), Map.of(PNG_JOB_KEY, Json.write(RestartRecovery.toMap(done))));
            remember(result.seconds());
            finish(job, done);
        } catch (GenerationCancelledException e) {
            if (stopping && !job.cancelRequested()) {
                job.serverStopping();
                finish(job, ended(running, JobStatus.FAILED, STOPPED));
                return;
            }
            finish(job, ended(running, JobStatus.CANCELLED, null));
        } catch (IllegalArgumentException | ImageFileException | NonFiniteException | VulkanException e) {
            // bad input, or the GPU cannot do it (out of its memory, device lost): the reason, for the user
            finish(job, ended(running, JobStatus.FAILED, e.getMessage()));
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            String errorId = ErrorIds.next();
            LOG.error("job {} failed, error id {}", job.id, errorId, e);
            finish(job, ended(running, JobStatus.FAILED, "internal error (error id " + errorId + "): " + e));
        }
    }

    private static JobRecord ended(JobRecord r, JobStatus status, String error) {
        return new JobRecord(r.id(), status, r.createdMs(), r.startedMs(), System.currentTimeMillis(), r.settingsJson(), error, null, null);
    }

    /** Persists the final record, then tells the clients (done / failed / cancelled). */
    private void finish(Job job, JobRecord done) {
        JobRecord r = done.finishedMs() == null
                ? new JobRecord(done.id(), done.status(), done.createdMs(), done.startedMs(), System.currentTimeMillis(), done.settingsJson(), done.error(), done.seconds(), done.image())
                : done;
        try {
            store.put(r);
        } finally {
            job.finish(r, terminalEvent(r));
            active.remove(job.id);
        }
    }

    /** The terminal SSE event of a finished record. */
    static JobEvent terminalEvent(JobRecord r) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", r.id());
        switch (r.status()) {
            case SUCCEEDED -> {
                d.put("image_url", "/v1/jobs/" + r.id() + "/image");
                d.put("seconds", r.seconds());
                return new JobEvent("done", d);
            }
            case FAILED -> {
                d.put("error", r.error());
                return new JobEvent("failed", d);
            }
            default -> {
                return new JobEvent("cancelled", d);
            }
        }
    }

    private void announcePositions() {
        int i = 1;
        for (Job j : queue) j.queuedAt(i++);
    }

    private synchronized void remember(double seconds) {
        recentSeconds.addLast(seconds);
        if (recentSeconds.size() > 8) recentSeconds.removeFirst();
    }

    /** Roughly when a slot frees: the mean of recent generation times (10 s before any). */
    private synchronized int retryAfterSeconds() {
        double mean = recentSeconds.stream().mapToDouble(Double::doubleValue).average().orElse(10);
        return (int) Math.max(1, Math.min(3600, Math.ceil(mean)));
    }

    /**
     * Stops taking jobs: the running generation is cancelled before its next transformer or VAE block and recorded
     * as failed ({@link #STOPPED}), as are the queued jobs; their SSE clients are told. A job the worker does not
     * give up within the wait stays "running" in the store and is reported as interrupted on the next start.
     */
    @Override public void close() {
        synchronized (this) {
            stopping = true;
        }
        try {
            worker.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            for (Job j; (j = queue.poll()) != null; ) {
                j.serverStopping();
                store.put(ended(j.record(), JobStatus.FAILED, STOPPED));
                active.remove(j.id);
            }
        }
        for (Job j : active.values()) j.serverStopping();
        active.clear();
    }

    /** The queue is full: answered 429 with Retry-After. */
    static final class QueueFullException extends RuntimeException {
        final int retryAfterSeconds;

        QueueFullException(int waiting, int retryAfterSeconds) {
            super("the queue is full (" + waiting + " jobs waiting); retry later");
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }
}
