package org.uso4j.app.server;

import java.util.Locale;

/** Where a job is in its life; {@link #wire()} is the name used in JSON, SSE and the database. */
enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    public boolean finished() { return this == SUCCEEDED || this == FAILED || this == CANCELLED; }

    public static JobStatus parse(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }
}
