package org.uso4j.app;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.pipeline.verify.Verifier;
import org.uso4j.pipeline.verify.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "verify", mixinStandardHelpOptions = true, description = "Runs golden case folders and prints per-output max abs error, tolerance and PASS/FAIL.")
final class VerifyCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CASE_DIR", description = "golden case folders (each with case.json)")
    List<Path> cases;

    @Option(names = "--threads", description = "CPU threads (default: all processors)")
    Integer threads;

    @Option(names = "--scalar", description = "use the single-threaded scalar reference backend")
    boolean scalar;

    @Override public Integer call() {
        Backend be = scalar ? new ScalarBackend() : threads == null ? CpuBackend.create() : new CpuBackend(threads);
        Verifier verifier = new Verifier(be);
        VerifyReport report = new VerifyReport(System.out);
        int failedCases = 0;
        for (Path dir : cases) {
            System.out.println("case " + dir);
            if (!verifier.verify(dir, report)) failedCases++;
        }
        long total = report.results().size(), failed = report.failures();
        System.out.printf("%d passed, %d failed (%d of %d cases failed)%n", total - failed, failed, failedCases, cases.size());
        return failed == 0 && failedCases == 0 ? 0 : 1;
    }
}
