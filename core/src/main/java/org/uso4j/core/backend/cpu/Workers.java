package org.uso4j.core.backend.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.uso4j.core.backend.CpuBackend;

/**
 * The worker threads of a {@link CpuBackend}: {@code threads - 1} daemon threads plus the calling thread.
 * {@link #forEach} hands out independent work items; which worker runs an item never changes the item's result
 * (kernels partition outputs, never a reduction), so outputs do not depend on the thread count.
 */
public final class Workers {
    /** One work item; {@code worker} in [0, threads) indexes per-worker scratch memory. */
    @FunctionalInterface
    public interface Body {
        void run(int worker, int item);
    }

    /** Marks pool threads: a kernel started from inside a work item runs serially instead of deadlocking. */
    private static final class WorkerThread extends Thread {
        WorkerThread(Runnable r, String name) {
            super(r, name);
            setDaemon(true);
        }
    }

    private final int threads;
    private final ExecutorService pool; // null with one thread

    public Workers(int threads) {
        this.threads = threads;
        if (threads == 1) {
            pool = null;
        } else {
            AtomicInteger ids = new AtomicInteger();
            pool = Executors.newFixedThreadPool(threads - 1, r -> new WorkerThread(r, "uso4j-cpu-" + ids.incrementAndGet()));
        }
    }

    public int threads() { return threads; }

    /** Runs {@code body} for items 0..items-1; serially when there is one item, one thread, or little work. */
    public void forEach(int items, boolean worthSplitting, Body body) {
        if (items <= 0) return;
        int n = Math.min(threads, items);
        if (n == 1 || !worthSplitting || pool == null || pool.isShutdown() || Thread.currentThread() instanceof WorkerThread) {
            for (int i = 0; i < items; i++) body.run(0, i);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> helpers = new ArrayList<>(n - 1);
        for (int w = 1; w < n; w++) {
            int worker = w;
            helpers.add(pool.submit(() -> drain(next, items, worker, body)));
        }
        Throwable failure = null;
        try {
            drain(next, items, 0, body);
        } catch (RuntimeException | Error e) {
            failure = e;
            next.set(items); // stop the helpers early
        }
        for (Future<?> f : helpers) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) failure = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) failure = e;
            }
        }
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error er) throw er;
        if (failure != null) throw new IllegalStateException("worker interrupted", failure);
    }

    public void forEach(int items, Body body) { forEach(items, true, body); }

    /** Stops the daemon threads; later calls run on the calling thread only. */
    public void shutdown() {
        if (pool != null) pool.shutdown();
    }

    private static void drain(AtomicInteger next, int items, int worker, Body body) {
        for (int i = next.getAndIncrement(); i < items; i = next.getAndIncrement()) body.run(worker, i);
    }

    /** Items of about {@code grain} units each covering {@code total} units (at least one item). */
    public static int chunks(long total, long grain) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (total + grain - 1) / grain));
    }
}
