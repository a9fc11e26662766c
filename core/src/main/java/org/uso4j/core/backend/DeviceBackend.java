package org.uso4j.core.backend;

/**
 * The extension point of {@link Backend} for backends in their own modules (a GPU backend): it owns its memory,
 * so weights are {@link #adopt adopted} once, ops return device tensors that live until their {@link #scope()}
 * closes, and only {@link #toHost} / {@link #toDevice} move data. {@link #close()} frees everything it holds.
 */
public non-sealed interface DeviceBackend extends Backend, AutoCloseable {

    /**
     * What crossed between host and device since the backend was made: uploads and downloads (count and bytes, each
     * way), ops that ran on the CPU instead of the device, and status words read back (e.g. {@link #allFinite}).
     */
    record Counters(long uploads, long uploadBytes, long downloads, long downloadBytes, long cpuFallbacks, long statusReads) {
        public static final Counters ZERO = new Counters(0, 0, 0, 0, 0, 0);

        /** Uploads plus downloads. */
        public long transfers() { return uploads + downloads; }

        /** What happened between {@code earlier} and this. */
        public Counters minus(Counters earlier) {
            return new Counters(uploads - earlier.uploads, uploadBytes - earlier.uploadBytes, downloads - earlier.downloads,
                    downloadBytes - earlier.downloadBytes, cpuFallbacks - earlier.cpuFallbacks, statusReads - earlier.statusReads);
        }
    }

    /** The totals so far. */
    Counters counters();

    /** Frees every buffer this backend holds, weights included. */
    @Override void close();
}
