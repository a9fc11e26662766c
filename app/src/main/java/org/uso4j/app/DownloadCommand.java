package org.uso4j.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.uso4j.pipeline.files.DownloadListener;
import org.uso4j.pipeline.files.DownloadResult;
import org.uso4j.pipeline.files.HubDownloader;
import org.uso4j.pipeline.files.HubEndpoint;
import org.uso4j.pipeline.files.HubToken;
import org.uso4j.pipeline.files.LocalCopy;
import org.uso4j.pipeline.files.ProgressLine;
import org.uso4j.pipeline.files.WeightCatalog;
import org.uso4j.pipeline.files.WeightComponent;
import org.uso4j.pipeline.files.WeightFile;
import org.uso4j.pipeline.files.WeightSet;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "download", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Fetches the USO weights from the Hugging Face hub into the --models folder:",
                "the official set in the weights/ layout of USO's weights/downloader.py, or",
                "ComfyUI repacks / GGUF files in the ComfyUI models/ layout.",
                "Interrupted transfers resume (<file>.part + HTTP Range); every file is checked",
                "against the size and sha256 the hub announces before it gets its final name;",
                "files already in place are skipped.",
                "black-forest-labs/FLUX.1-dev (flux, ae) is gated: accept its license on the",
                "hub, then give a token (--token or HF_TOKEN)."})
final class DownloadCommand implements Callable<Integer> {
    @Option(names = "--models", paramLabel = "DIR", defaultValue = ".", description = "models folder (default: ${DEFAULT-VALUE})")
    Path models;

    @ArgGroup(exclusive = true)
    Selection selection;

    static final class Selection {
        @Option(names = "--components", split = ",", paramLabel = "NAME",
                description = "components to fetch, comma-separated (see --list)")
        List<String> components;

        @Option(names = "--set", paramLabel = "SET", description = "official (default), comfy, gguf-q8 or eval (the metric models of uso4j eval)")
        String set;
    }

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "hub access token (default: $HF_TOKEN, $HUGGING_FACE_HUB_TOKEN, then the huggingface-cli login file)")
    String token;

    @Option(names = "--endpoint", paramLabel = "URL", description = "hub address (default: $HF_ENDPOINT, else https://huggingface.co)")
    String endpoint;

    @Option(names = "--dry-run", description = "list what would be fetched and its size; fetch nothing")
    boolean dryRun;

    @Option(names = "--list", description = "list every component and set, then exit")
    boolean list;

    @Option(names = "--verify", description = "also hash files that are already present and fetch them again on a mismatch")
    boolean verify;

    @Spec CommandSpec spec;

    /** The environment; a field so tests can replace it. */
    Map<String, String> env = System.getenv();

    @Override public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            printCatalog(out);
            return 0;
        }
        List<WeightFile> files;
        String what;
        HubEndpoint hub;
        try {
            List<WeightComponent> chosen = chosenComponents();
            what = chosen.stream().map(WeightComponent::name).collect(Collectors.joining(", "));
            files = WeightCatalog.files(chosen);
            hub = endpoint != null ? HubEndpoint.of(endpoint)
                    : env.get("HF_ENDPOINT") != null && !env.get("HF_ENDPOINT").isBlank() ? HubEndpoint.of(env.get("HF_ENDPOINT"))
                    : HubEndpoint.DEFAULT;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Path root = models.toAbsolutePath().normalize();
        Optional<HubToken.Found> found = HubToken.resolve(token, env, homeDir());
        List<LocalCopy> local = LocalCopy.of(root, files);
        long toFetch = local.stream().mapToLong(LocalCopy::approxBytesToFetch).sum();
        Set<String> gated = files.stream().filter(WeightFile::gated).map(WeightFile::repo).collect(Collectors.toCollection(LinkedHashSet::new));

        out.printf("%s %d files (%s) from %s into %s; about %s to fetch; %s%n", dryRun ? "Would fetch" : "Fetching", files.size(), what,
                hub.base(), root, ProgressLine.bytes(toFetch), found.map(HubToken.Found::toString).orElse("no token"));
        for (String repo : gated)
            if (found.isEmpty() && local.stream().anyMatch(c -> c.file().repo().equals(repo) && !c.present()))
                out.printf("  note: %s is gated: accept its license at %s, then set HF_TOKEN or pass --token%n", repo, HubEndpoint.DEFAULT.repoPage(repo));
        if (dryRun) {
            printPlan(out, local);
            return 0;
        }
        out.flush();
        HubDownloader.Options options = HubDownloader.Options.defaults().withVerifyPresent(verify);
        ConsoleProgress progress = new ConsoleProgress(out, root, System.console() != null);
        List<DownloadResult> results = new HubDownloader(hub, found.map(HubToken.Found::token), options, progress).fetchAll(files, root);

        long failed = results.stream().filter(r -> !r.ok()).count();
        long fetched = results.stream().filter(r -> r.status() == DownloadResult.Status.DOWNLOADED).mapToLong(DownloadResult::bytes).sum();
        out.printf("%d of %d files in place (%s fetched)%s%n", results.size() - failed, results.size(), ProgressLine.bytes(fetched),
                failed == 0 ? "" : "; " + failed + " failed (run the same command again to resume)");
        return failed == 0 ? 0 : 1;
    }

    private List<WeightComponent> chosenComponents() {
        if (selection != null && selection.components != null) {
            List<WeightComponent> cs = new ArrayList<>();
            for (String n : selection.components) if (!n.isBlank()) cs.add(WeightCatalog.component(n));
            if (cs.isEmpty()) throw new IllegalArgumentException("--components names no component");
            return cs;
        }
        return (selection != null && selection.set != null ? WeightSet.named(selection.set) : WeightSet.OFFICIAL).components();
    }

    private static void printPlan(PrintWriter out, List<LocalCopy> local) {
        for (LocalCopy c : local) {
            WeightFile f = c.file();
            String state = c.present() ? "present (" + ProgressLine.bytes(c.presentBytes()) + ")"
                    : c.partBytes() >= 0 ? "partial, resumes at " + ProgressLine.bytes(c.partBytes()) : "missing";
            out.printf("  %-62s %10s  %-28s %s%n", f.localPath(), "~" + ProgressLine.bytes(f.approxBytes()),
                    state, f.repo() + (f.gated() ? " (gated)" : ""));
        }
        out.println("  (sizes are the catalog's; the hub's exact sizes and checksums are used when fetching)");
    }

    private static void printCatalog(PrintWriter out) {
        out.println("Components (--components a,b,...):");
        for (WeightComponent c : WeightCatalog.COMPONENTS)
            out.printf("  %-14s %10s  %s%n", c.name(), "~" + ProgressLine.bytes(c.approxBytes()), c.description());
        out.println("Sets (--set NAME):");
        for (WeightSet s : WeightSet.values())
            out.printf("  %-14s %10s  %s%n", s.cliName(),
                    "~" + ProgressLine.bytes(WeightCatalog.files(s.components()).stream().mapToLong(WeightFile::approxBytes).sum()),
                    s.components().stream().map(WeightComponent::name).collect(Collectors.joining(", ")));
    }

    private static Path homeDir() {
        String h = System.getProperty("user.home");
        return h == null || h.isBlank() ? null : Path.of(h);
    }

    /**
     * One line per file; on a terminal the running line is redrawn in place (at most 5 times a second),
     * elsewhere (logs) a progress line is printed every 30 s.
     */
    private static final class ConsoleProgress implements DownloadListener {
        private final PrintWriter out;
        private final Path root;
        private final boolean terminal;
        private ProgressLine line;
        private long startedFrom;
        private long lastDraw;
        private int drawnWidth;

        ConsoleProgress(PrintWriter out, Path root, boolean terminal) {
            this.out = out;
            this.root = root;
            this.terminal = terminal;
        }

        @Override public void started(WeightFile file, Path target, long total, long resumeFrom) {
            line = null; // made at the first bytes: re-reading a resumed .part must not count against the rate
            startedFrom = resumeFrom;
            lastDraw = System.nanoTime();
            if (resumeFrom > 0) say("  resuming " + file.localPath() + " at " + ProgressLine.bytes(resumeFrom)
                    + (resumeFrom > 1_000_000_000L ? " (re-reading those bytes for the checksum first)" : ""));
        }

        @Override public void progress(WeightFile file, long done, long total) {
            long now = System.nanoTime();
            if (line == null) line = new ProgressLine(file.localPath(), total, startedFrom, now);
            if (now - lastDraw < (terminal ? 200_000_000L : 30_000_000_000L)) return;
            lastDraw = now;
            String s = "  " + line.render(done, now);
            if (terminal) {
                out.print("\r" + s + " ".repeat(Math.max(0, drawnWidth - s.length())));
                drawnWidth = s.length();
            } else {
                out.println(s);
            }
            out.flush();
        }

        @Override public void retrying(WeightFile file, String reason, int attempt, int maxAttempts) {
            say("  retrying " + file.localPath() + " (" + attempt + "/" + maxAttempts + "): " + reason);
        }

        @Override public void finished(DownloadResult r) {
            String tag = switch (r.status()) {
                case DOWNLOADED -> "ok     ";
                case PRESENT -> "present";
                case KEPT -> "kept   ";
                case FAILED -> "FAILED ";
            };
            String size = r.ok() ? ProgressLine.bytes(r.bytes()) + ", " : "";
            say("  " + tag + " " + root.relativize(r.target()).toString().replace('\\', '/') + "  (" + size + r.note() + ")");
            line = null;
        }

        private void say(String s) {
            if (terminal && drawnWidth > 0) out.print("\r" + " ".repeat(drawnWidth) + "\r");
            drawnWidth = 0;
            out.println(s);
            out.flush();
        }
    }
}
