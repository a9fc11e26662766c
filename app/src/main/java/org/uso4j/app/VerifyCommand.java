package org.uso4j.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.uso4j.core.backend.Backend;
import org.uso4j.pipeline.verify.GoldenCase;
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

    @picocli.CommandLine.Mixin DeviceOption device;

    @picocli.CommandLine.ParentCommand Main main;

    @Override public Integer call() {
        Backend be = BackendChoice.of(device, threads, scalar).create();
        Verifier verifier = new Verifier(be);
        VerifyReport report = new VerifyReport(System.out);
        int failedCases = 0, ran = 0;
        for (Path dir : cases) {
            if (!Files.isDirectory(dir) || !GoldenCase.isCase(dir)) {
                main.console().info("skipped " + dir + ": " + notACase(dir));
                continue;
            }
            ran++;
            System.out.println("case " + dir);
            if (!verifier.verify(dir, report)) failedCases++;
        }
        if (ran == 0) throw new IllegalArgumentException("none of the " + cases.size() + " path(s) is a golden case folder (a folder with case.json)");
        long total = report.results().size(), failed = report.failures();
        int skipped = cases.size() - ran;
        System.out.printf("%d passed, %d failed (%d of %d cases failed)%s%n", total - failed, failed, failedCases, ran,
                skipped == 0 ? "" : "; " + skipped + " path(s) skipped: not case folders");
        return failed == 0 && failedCases == 0 ? 0 : 1;
    }

    /** Why {@code p} is not run: a file, a missing path, or a folder without case.json (naming the cases inside, if any). */
    private static String notACase(Path p) {
        if (!Files.exists(p)) return "no such folder";
        if (!Files.isDirectory(p)) return "a file, not a case folder";
        try (Stream<Path> s = Files.list(p)) {
            List<String> inside = s.filter(d -> Files.isDirectory(d) && GoldenCase.isCase(d)).map(d -> d.getFileName().toString()).sorted().toList();
            return inside.isEmpty() ? "no case.json" : "no case.json; it holds the cases " + String.join(", ", inside) + " (give " + p + "/* to run them)";
        } catch (IOException e) {
            return "cannot list: " + e.getMessage();
        }
    }
}
