package org.uso4j.app.server;

/**
 * One job as persisted: settings are the JSON of {@code GenerationRequest.settings()}; times are epoch
 * milliseconds (null until reached); {@code image} is the result file name inside the data folder's images/.
 */
record JobRecord(String id, JobStatus status, long createdMs, Long startedMs, Long finishedMs, String settingsJson,
                        String error, Double seconds, String image) {
    public JobRecord withStatus(JobStatus s) {
        return new JobRecord(id, s, createdMs, startedMs, finishedMs, settingsJson, error, seconds, image);
    }
}
