package org.uso4j.pipeline.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;

/**
 * The layout shared by the transformers encoder cases (golden {@code ENCODERS.md}), read from case.json so that
 * cases with other configs, sizes and groups run unchanged:
 * <ul>
 * <li>{@code call} names the tensor arguments ({@code input_ids=input_ids}); each appears once per <i>group</i>,
 *     the prefix before it ({@code ""}, {@code "len16."}, ...);</li>
 * <li>within a group, outputs {@code X} of the float32 run, their float64 references {@code f64.X}, and
 *     <i>variants</i> {@code V.X} / {@code V.f64.X} computed with other weights (e.g. {@code bf16w}, {@code bf16c});</li>
 * <li>float outputs are compared with {@code f64.X} where it exists (else with {@code X}) using the per-tensor
 *     tolerance of case.json; integer outputs must match exactly.</li>
 * </ul>
 */
final class EncoderCase {
    private static final String F64 = "f64.";
    private static final Pattern ARGUMENT = Pattern.compile("(\\w+)\\s*=\\s*(\\w+)");

    private final GoldenCase c;
    private final List<String> names = new ArrayList<>();

    EncoderCase(GoldenCase c) {
        this.c = c;
        for (Map.Entry<String, JsonNode> e : GoldenCase.fields(c.json().path("tensors"))) names.add(e.getKey());
        if (names.isEmpty()) for (String n : c.io().names()) names.add(n);
    }

    /** The tensor arguments of the call: {@code f(pixel_values=pixel_values, output_hidden_states=True)} → [pixel_values]. */
    List<String> tensorArguments() {
        String call = c.json().path("call").asText("");
        int args = call.lastIndexOf('(');
        Set<String> out = new LinkedHashSet<>();
        Matcher m = ARGUMENT.matcher(args < 0 ? "" : call.substring(args));
        while (m.find()) {
            String value = m.group(2);
            if (names.stream().anyMatch(n -> n.equals(value) || n.endsWith("." + value))) out.add(value);
        }
        return List.copyOf(out);
    }

    /** Fails (reports) when the call passes tensors other than {@code supported}; returns whether all are supported. */
    boolean onlyArguments(VerifyReport report, Set<String> supported) {
        List<String> args = tensorArguments();
        boolean ok = !args.isEmpty();
        if (args.isEmpty()) report.cannotRun(c.name(), "case.json 'call' names no input tensor");
        for (String a : args) {
            if (!supported.contains(a)) {
                report.cannotRun(c.name(), "input '" + a + "' is not supported (supported: " + supported + ")");
                ok = false;
            }
        }
        return ok;
    }

    /** Group prefixes: every P with a tensor named {@code P + input}. */
    List<String> groups(String input) {
        List<String> out = new ArrayList<>();
        for (String n : names) if (n.equals(input) || n.endsWith("." + input)) out.add(n.substring(0, n.length() - input.length()));
        return out;
    }

    /** The variants of a group: "" (the case's own weights) and each {@code V} of names {@code P + V + "." + X}. */
    List<String> variants(String group, Set<String> inputs) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : names) {
            if (!n.startsWith(group)) continue;
            String rest = n.substring(group.length());
            if (rest.startsWith(F64) || inputs.contains(rest)) continue;
            int dot = rest.indexOf('.');
            out.add(dot < 0 ? "" : rest.substring(0, dot));
        }
        return List.copyOf(out);
    }

    /** The outputs X checked for (group, variant): names {@code P + V. + X} that are neither inputs nor f64 references. */
    List<String> outputs(String group, String variant, Set<String> inputs) {
        String prefix = group + (variant.isEmpty() ? "" : variant + ".");
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (!n.startsWith(prefix)) continue;
            String x = n.substring(prefix.length());
            if (x.startsWith(F64) || inputs.contains(x) || x.contains(".")) continue;
            out.add(x);
        }
        return out;
    }

    /** The tensor named {@code group + input}. */
    Tensor input(String group, String input) { return c.tensor(group + input); }

    /** Integer input ids [B, L] as rows. */
    long[][] ids(String group, String input) {
        Tensor t = input(group, input);
        if (t.rank() != 2 || t.dtype().isFloating()) throw new IllegalArgumentException(group + input + " must be integer [B, L], got " + t.dtype() + " " + t.shape());
        long[] flat = t.toLongs();
        int b = t.dim(0), l = t.dim(1);
        long[][] rows = new long[b][l];
        for (int r = 0; r < b; r++) System.arraycopy(flat, r * l, rows[r], 0, l);
        return rows;
    }

    /**
     * Checks output {@code x} of (group, variant) against the golden data; {@code actual} is a Tensor, a
     * {@code long[]}, or null when the runner has no such output.
     */
    void check(VerifyReport report, String group, String variant, String x, Object actual) {
        String prefix = group + (variant.isEmpty() ? "" : variant + ".");
        String name = prefix + x;
        if (actual == null) {
            report.cannotRun(name, "the runner produces no output '" + x + "'");
            return;
        }
        Tensor stored = c.tensor(name);
        if (!stored.dtype().isFloating()) {
            long[] a = actual instanceof long[] l ? l : ((Tensor) actual).toLongs();
            report.exact(name, a, stored.toLongs());
            return;
        }
        OptionalDouble atol = c.atol(name);
        if (atol.isEmpty()) {
            report.cannotRun(name, "case.json gives no tolerance");
            return;
        }
        if (!(actual instanceof Tensor t)) {
            report.cannotRun(name, "expected a float tensor, the runner gives integers");
            return;
        }
        boolean hasF64 = names.contains(prefix + F64 + x) || c.has(prefix + F64 + x);
        Tensor expected = hasF64 ? c.tensor(prefix + F64 + x) : stored;
        report.compare(name + (hasF64 ? " (vs f64)" : ""), t, expected, atol.getAsDouble());
    }

    /** A list of [B, ...] tensors stacked along a new first dimension (the {@code hidden_states} tuple). */
    static Tensor stack(Backend backend, List<Tensor> parts) {
        List<Tensor> lifted = new ArrayList<>(parts.size());
        for (Tensor p : parts) {
            int[] d = p.dims(), e = new int[d.length + 1];
            e[0] = 1;
            System.arraycopy(d, 0, e, 1, d.length);
            lifted.add(p.reshape(e));
        }
        return backend.concat(0, lifted);
    }
}
