package org.uso4j.pipeline.verify;

import java.nio.file.Path;
import java.util.List;
import org.uso4j.core.backend.Backend;

/** {@code uso4j verify}: finds the runner for each case folder and runs it; the build's golden tests use the same path. */
public final class Verifier {
    private final Backend backend;
    private final List<CaseRunner> runners;

    public Verifier(Backend backend) { this(backend, CaseRunners.all()); }

    public Verifier(Backend backend, List<CaseRunner> runners) {
        this.backend = backend;
        this.runners = runners;
    }

    /** Verifies one case folder into {@code report}; returns whether every output passed. */
    public boolean verify(Path dir, VerifyReport report) {
        GoldenCase c;
        try {
            c = GoldenCase.open(dir);
        } catch (RuntimeException e) {
            report.beginCase(dir.toString());
            report.cannotRun(dir.toString(), e.getMessage());
            return false;
        }
        try (c) {
            report.beginCase(c.name());
            report.downloadWith(backend::toHost); // outputs of a device backend are compared on the host
            CaseRunner runner = runners.stream().filter(r -> r.handles(c)).findFirst().orElse(null);
            if (runner == null) {
                report.cannotRun(c.name(), "no runner for case '" + c.name() + "' in " + dir);
                return false;
            }
            long before = report.failures(), n = report.results().size();
            try {
                runner.run(c, backend, report);
            } catch (Exception | Error e) {
                report.cannotRun(c.name(), e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            if (report.results().size() == n) report.cannotRun(c.name(), "the runner checked nothing");
            return report.failures() == before;
        }
    }
}
