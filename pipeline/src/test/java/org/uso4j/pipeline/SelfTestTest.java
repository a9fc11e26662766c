package org.uso4j.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.core.backend.MatmulPrecision;

/** {@code uso4j selftest}'s checks pass on this machine, and the AMX one is there exactly when the CPU has AMX. */
class SelfTestTest {
    @Test
    void everyCheckPasses() {
        try (CpuBackend be = new CpuBackend(2)) {
            List<SelfTest.Result> results = SelfTest.run(be);
            assertEquals(MatmulPrecision.bf16Available() ? 3 : 2, results.size());
            for (SelfTest.Result r : results) {
                assertTrue(r.passed(), r.what() + ": max |diff| " + r.maxAbsDiff() + " > " + r.tolerance());
                assertTrue(r.maxAbsDiff() > 0 || !r.what().contains("AMX"), "bf16 products cannot equal float32 ones exactly");
            }
        }
    }
}
