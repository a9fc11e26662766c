package org.uso4j.pipeline.generate;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) or SIGTERM during a command-line run. A JVM shutdown hook that asks the run to stop
 * ({@code onStop}, typically making its {@link Progress} report cancelled), then waits up to {@code grace} for the
 * run to unwind before the JVM exits: the generation stops at its next transformer or VAE block, a file being
 * written is finished or removed by its writer, and no temporary file is left behind. Without the wait the JVM
 * ended as soon as the hook returned, killing the run in the middle of whatever it was doing. Close it when the
 * run ends (normally or not); that is what the hook waits for.
 */
public final class ShutdownCancellation implements AutoCloseable {
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    private ShutdownCancellation(Runnable onStop, Duration grace) {
        this.hook = new Thread(() -> {
            onStop.run();
            try {
                if (!finished.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    System.err.println("\nuso4j: the run did not stop within " + grace.toSeconds() + " s; exiting anyway");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "uso4j-shutdown");
    }

    /** Registers the hook; {@code onStop} runs on the hook's thread when the JVM is asked to stop. */
    public static ShutdownCancellation install(Runnable onStop, Duration grace) {
        ShutdownCancellation c = new ShutdownCancellation(onStop, grace);
        Runtime.getRuntime().addShutdownHook(c.hook);
        return c;
    }

    /** The run has ended: the hook (if running) lets the JVM exit; otherwise it is removed. */
    @Override public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyStopping) {
            // the JVM is shutting down (Ctrl-C): the hook is running and now returns
        }
    }
}
