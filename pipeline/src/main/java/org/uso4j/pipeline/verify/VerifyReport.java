package org.uso4j.pipeline.verify;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.uso4j.core.Tensor;

/** Collects per-output results of golden checks: max abs error vs tolerance, or exact equality. */
public final class VerifyReport {
    /** One checked output. {@code atol} < 0 marks a case that could not run ({@code note} says why). */
    public record Result(String caseName, String output, double maxAbsErr, double atol, boolean pass, String note) {}

    private final List<Result> results = new ArrayList<>();
    private final PrintStream out;
    private UnaryOperator<Tensor> toHost = UnaryOperator.identity();
    private String currentCase = "";

    public VerifyReport(PrintStream out) { this.out = out; }

    /** How compared outputs reach the host ({@code Backend::toHost} of the backend under test; none by default). */
    public void downloadWith(UnaryOperator<Tensor> toHost) { this.toHost = toHost; }

    public void beginCase(String name) { currentCase = name; }

    /** Compares element by element; pass if {@code max|actual - expected| <= atol} and no NaN appears. */
    public Result compare(String output, Tensor actual, Tensor expected, double atol) {
        if (!actual.shape().equals(expected.shape())) {
            return add(new Result(currentCase, output, Double.NaN, atol, false,
                    "shape " + actual.shape() + ", expected " + expected.shape()));
        }
        float[] a = toHost.apply(actual).toF32().floats(), e = expected.toF32().floats();
        double max = 0;
        boolean nan = false;
        for (int i = 0; i < a.length; i++) {
            if (Float.isNaN(a[i]) != Float.isNaN(e[i])) nan = true;
            else if (!Float.isNaN(a[i])) max = Math.max(max, Math.abs((double) a[i] - e[i]));
        }
        return add(new Result(currentCase, output, nan ? Double.NaN : max, atol, !nan && max <= atol, nan ? "NaN mismatch" : ""));
    }

    /** Exact comparison (ids, packed copies, RNG draws, integers): atol 0. */
    public Result exact(String output, Tensor actual, Tensor expected) { return compare(output, actual, expected, 0); }

    /** Exact comparison of integer sequences (token ids). */
    public Result exact(String output, long[] actual, long[] expected) {
        int firstDiff = -1;
        for (int i = 0; i < Math.max(actual.length, expected.length) && firstDiff < 0; i++) {
            if (i >= actual.length || i >= expected.length || actual[i] != expected[i]) firstDiff = i;
        }
        String note = firstDiff < 0 ? "" : "first difference at index " + firstDiff + " (lengths " + actual.length + "/" + expected.length + ")";
        return add(new Result(currentCase, output, firstDiff < 0 ? 0 : 1, 0, firstDiff < 0, note));
    }

    /** A boolean check with a message (e.g. an expected error was raised). */
    public Result check(String output, boolean ok, String note) {
        return add(new Result(currentCase, output, ok ? 0 : 1, 0, ok, note));
    }

    /** The case (or part of it) could not be run: counts as a failure. */
    public Result cannotRun(String output, String why) {
        return add(new Result(currentCase, output, Double.NaN, -1, false, "cannot run: " + why));
    }

    private Result add(Result r) {
        results.add(r);
        if (out != null) {
            if (r.atol() < 0) out.printf("  %-60s FAIL  %s%n", r.output(), r.note());
            else out.printf("  %-60s max|err| %-10.3g atol %-8.3g %s%s%n", r.output(), r.maxAbsErr(), r.atol(),
                    r.pass() ? "PASS" : "FAIL", r.note().isEmpty() ? "" : "  (" + r.note() + ")");
        }
        return r;
    }

    public List<Result> results() { return List.copyOf(results); }

    public long failures() { return results.stream().filter(r -> !r.pass()).count(); }

    public boolean allPassed() { return !results.isEmpty() && failures() == 0; }
}
