package org.uso4j.pipeline.generate;

import org.uso4j.core.backend.Backend;
import org.uso4j.core.backend.DeviceBackend;
import org.uso4j.core.backend.DeviceBackend.Counters;

/**
 * What each denoising step moved between host and device, the preview's download counted apart, told to
 * {@link Progress#deviceStep}. Does nothing on the host backends.
 */
final class DeviceSteps {
    private final DeviceBackend device; // null on a host backend
    private Counters mark = Counters.ZERO, previewStart = Counters.ZERO, preview = Counters.ZERO;

    private DeviceSteps(DeviceBackend device) { this.device = device; }

    static DeviceSteps of(Backend be) { return new DeviceSteps(be instanceof DeviceBackend d ? d : null); }

    /** The first step starts now. */
    void start() { if (device != null) mark = device.counters(); }

    void previewStarts() { if (device != null) previewStart = device.counters(); }

    void previewEnds() { if (device != null) preview = device.counters().minus(previewStart); }

    /** Tells {@code p} what step {@code step} (1-based) moved; the next step starts now. */
    void report(Progress p, int step) {
        if (device == null) return;
        Counters now = device.counters();
        p.deviceStep(step, now.minus(mark).minus(preview), preview);
        mark = now;
        preview = Counters.ZERO;
    }
}
