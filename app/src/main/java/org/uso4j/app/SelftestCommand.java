package org.uso4j.app;

import java.util.concurrent.Callable;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.pipeline.SelfTest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "selftest", mixinStandardHelpOptions = true, description = "Checks the fast CPU backend against the scalar reference on a random FLUX (no files needed).")
final class SelftestCommand implements Callable<Integer> {
    @Option(names = "--threads", description = "CPU threads (default: all processors)")
    Integer threads;

    @Override public Integer call() {
        CpuBackend be = BackendChoice.of(new DeviceOption(), threads, false).cpu();
        System.out.println("uso4j selftest on " + be.name());
        int failed = 0;
        for (SelfTest.Result r : SelfTest.run(be)) {
            System.out.printf("  %-70s max|diff| %.3g (tol %.0e)  fast %d ms, scalar %d ms  %s%n", r.what(), r.maxAbsDiff(),
                    r.tolerance(), r.fastMillis(), r.scalarMillis(), r.passed() ? "PASS" : "FAIL");
            if (!r.passed()) failed++;
        }
        System.out.println(failed == 0 ? "selftest passed" : failed + " selftest check(s) failed");
        return failed == 0 ? 0 : 1;
    }
}
