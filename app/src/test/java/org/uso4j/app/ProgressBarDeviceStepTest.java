package org.uso4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.uso4j.core.backend.DeviceBackend;

/** {@code generate --verbose} on a device backend: one line per step with its host transfers and CPU fallbacks, the preview apart. */
class ProgressBarDeviceStepTest {
    private static String run(Console.Level level) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        console.level(level);
        ProgressBar bar = new ProgressBar(console);
        bar.deviceStep(1, DeviceBackend.Counters.ZERO, new DeviceBackend.Counters(0, 0, 1, 256, 0, 0));
        bar.deviceStep(2, new DeviceBackend.Counters(2, 64, 1, 16, 3, 1), DeviceBackend.Counters.ZERO);
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void verbosePrintsALinePerStep() {
        String err = run(Console.Level.VERBOSE);
        assertTrue(err.contains("step 1: host transfers 0, cpu fallbacks 0 (preview: 1 transfers)"), err);
        assertTrue(err.contains("step 2: host transfers 3, cpu fallbacks 3 (preview: 0 transfers)"), err);
    }

    @Test
    void quietOtherwise() { assertEquals("", run(Console.Level.NORMAL)); }
}
