package org.uso4j.app.server;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The events waiting for one SSE client. The generation thread only offers (never blocks on a slow client):
 * when the buffer is full the oldest event is dropped, so a stalled reader loses intermediate steps, never the
 * terminal event (always the last offered).
 */
final class EventStream {
    /** Offered to end a stream without a terminal event (server stopping). */
    static final JobEvent END = new JobEvent("end", java.util.Map.of());

    private final ArrayBlockingQueue<JobEvent> queue = new ArrayBlockingQueue<>(64);

    synchronized void offer(JobEvent e) {
        while (!queue.offer(e)) queue.poll();
    }

    /** The next event, or null after {@code millis} without one. */
    JobEvent poll(long millis) throws InterruptedException { return queue.poll(millis, TimeUnit.MILLISECONDS); }
}
