package org.uso4j.pipeline.eval;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes an {@link EvalReport} as {@code report.json} (everything, full precision), {@code report.md} (the paper's
 * Table 1 and Table 2 layout, then groups and items) and {@code report.html} (the same with thumbnails of the
 * references and results; all text escaped). Every file is written to a temporary name and moved into place.
 */
public final class ReportFiles {
    private ReportFiles() {}

    /** Writes the three report files into {@code outDir}. */
    public static void write(EvalReport report, Path outDir) {
        try {
            writeAtomically(outDir.resolve("report.json"), Evaluation.JSON.writeValueAsString(report));
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise the report: " + e.getMessage(), e);
        }
        writeAtomically(outDir.resolve("report.md"), markdown(report));
        writeAtomically(outDir.resolve("report.html"), html(report, outDir));
    }

    static void writeAtomically(Path target, String text) {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IllegalStateException(target + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Table 1 (subject: CLIP-I, DINO, CLIP-T | style: CSD, CLIP-T), Table 2 (style-subject: CSD, CLIP-I, DINO, CLIP-T), groups, items. */
    public static String markdown(EvalReport r) {
        StringBuilder sb = new StringBuilder("# USO-Bench evaluation\n\n");
        sb.append("Spec: `").append(r.spec()).append("`  \nImages: `").append(r.images()).append("`\n\n");
        Optional<EvalReport.TaskSummary> subject = r.task(TaskType.SUBJECT), style = r.task(TaskType.STYLE), both = r.task(TaskType.STYLE_SUBJECT);
        if (subject.isPresent() || style.isPresent()) {
            sb.append("## Table 1: subject-driven and style-driven generation\n\n");
            sb.append("| Method | Subject CLIP-I ↑ | Subject DINO ↑ | Subject CLIP-T ↑ | Style CSD ↑ | Style CLIP-T ↑ |\n");
            sb.append("|---|---|---|---|---|---|\n| uso4j");
            for (Metric m : TaskType.SUBJECT.metrics()) sb.append(" | ").append(cell(subject, m));
            for (Metric m : TaskType.STYLE.metrics()) sb.append(" | ").append(cell(style, m));
            sb.append(" |\n\n");
        }
        if (both.isPresent()) {
            sb.append("## Table 2: style-subject-driven generation\n\n| Method");
            for (Metric m : TaskType.STYLE_SUBJECT.metrics()) sb.append(" | ").append(m.label()).append(" ↑");
            sb.append(" |\n|---").append("|---".repeat(TaskType.STYLE_SUBJECT.metrics().size())).append("|\n| uso4j");
            for (Metric m : TaskType.STYLE_SUBJECT.metrics()) sb.append(" | ").append(cell(both, m));
            sb.append(" |\n\n");
        }
        for (EvalReport.TaskSummary t : r.tasks()) {
            List<Metric> ms = TaskType.parse(t.task()).metrics();
            sb.append("## Groups: ").append(t.task()).append("\n\n| Group | Items | Images");
            for (Metric m : ms) sb.append(" | ").append(m.label());
            sb.append(" |\n|---|---|---").append("|---".repeat(ms.size())).append("|\n");
            for (EvalReport.GroupSummary g : t.groups()) {
                sb.append("| ").append(mdEscape(g.group())).append(" | ").append(g.items().size()).append(" | ").append(g.images());
                for (Metric m : ms) sb.append(" | ").append(format(g.scores().get(m.key())));
                sb.append(" |\n");
            }
            sb.append('\n');
        }
        sb.append("## Items\n\n| # | Task | Prompt | Images | CLIP-I | DINO | CLIP-T | CSD |\n|---|---|---|---|---|---|---|---|\n");
        for (ItemResult it : r.items()) {
            sb.append("| ").append(it.index()).append(" | ").append(it.task()).append(" | ").append(mdEscape(it.prompt())).append(" | ").append(it.images().size());
            for (Metric m : Metric.values()) sb.append(" | ").append(it.values().containsKey(m.key()) ? format(it.score(m)) : "");
            sb.append(" |\n");
        }
        return sb.toString();
    }

    private static String cell(Optional<EvalReport.TaskSummary> t, Metric m) {
        return t.map(s -> format(s.scores().get(m.key()))).orElse("–");
    }

    static String format(Double v) { return v == null || v.isNaN() ? "–" : String.format(Locale.ROOT, "%.4f", v); }

    private static String mdEscape(String s) {
        return htmlEscape(s).replace("|", "\\|").replace("\r", " ").replace("\n", " ").replace("`", "\\`");
    }

    public static String htmlEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The report with per-item thumbnails (references and generated images, linked relative to {@code outDir}). */
    public static String html(EvalReport r, Path outDir) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>USO-Bench evaluation</title>\n")
                .append("<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse;margin-bottom:1.5em}")
                .append("td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}img{max-width:128px;max-height:128px;margin:2px}")
                .append(".num{text-align:right;font-family:monospace}</style></head><body>\n<h1>USO-Bench evaluation</h1>\n");
        sb.append("<p>Spec: <code>").append(htmlEscape(r.spec())).append("</code><br>Images: <code>").append(htmlEscape(r.images())).append("</code></p>\n");
        for (EvalReport.TaskSummary t : r.tasks()) {
            List<Metric> ms = TaskType.parse(t.task()).metrics();
            sb.append("<h2>").append(htmlEscape(t.task())).append("</h2>\n<table><tr><th>Group</th><th>Items</th><th>Images</th>");
            for (Metric m : ms) sb.append("<th>").append(m.label()).append("</th>");
            sb.append("</tr>\n<tr><th>benchmark (mean over groups)</th><td></td><td></td>");
            for (Metric m : ms) sb.append("<td class=\"num\">").append(format(t.scores().get(m.key()))).append("</td>");
            sb.append("</tr>\n");
            for (EvalReport.GroupSummary g : t.groups()) {
                sb.append("<tr><td>").append(htmlEscape(g.group())).append("</td><td class=\"num\">").append(g.items().size())
                        .append("</td><td class=\"num\">").append(g.images()).append("</td>");
                for (Metric m : ms) sb.append("<td class=\"num\">").append(format(g.scores().get(m.key()))).append("</td>");
                sb.append("</tr>\n");
            }
            sb.append("</table>\n");
        }
        sb.append("<h2>Items</h2>\n<table><tr><th>#</th><th>Task</th><th>Prompt</th><th>Content</th><th>Style</th><th>Generated</th><th>Scores</th></tr>\n");
        for (ItemResult it : r.items()) {
            sb.append("<tr><td class=\"num\">").append(it.index()).append("</td><td>").append(htmlEscape(it.task())).append("</td><td>")
                    .append(htmlEscape(it.prompt())).append("</td><td>").append(thumbs(it.contentRefs(), outDir)).append("</td><td>")
                    .append(thumbs(it.styleRefs(), outDir)).append("</td><td>").append(thumbs(it.images(), outDir)).append("</td><td>");
            List<String> parts = new ArrayList<>();
            for (Metric m : Metric.values()) if (it.values().containsKey(m.key())) parts.add(m.label() + " " + format(it.score(m)));
            sb.append(htmlEscape(String.join(", ", parts))).append("</td></tr>\n");
        }
        return sb.append("</table>\n</body></html>\n").toString();
    }

    private static String thumbs(List<String> files, Path outDir) {
        StringBuilder sb = new StringBuilder();
        for (String f : files) {
            String href = href(Path.of(f), outDir);
            sb.append("<a href=\"").append(href).append("\"><img src=\"").append(href).append("\" alt=\"")
                    .append(htmlEscape(Path.of(f).getFileName().toString())).append("\" loading=\"lazy\"></a>");
        }
        return sb.toString();
    }

    /** A URL for {@code file} relative to the report's folder, each segment percent-encoded. */
    static String href(Path file, Path outDir) {
        Path rel;
        try {
            rel = outDir.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize());
        } catch (IllegalArgumentException e) {
            rel = file.toAbsolutePath();
        }
        List<String> segs = new ArrayList<>();
        for (Path p : rel) segs.add(URLEncoder.encode(p.toString(), StandardCharsets.UTF_8).replace("+", "%20"));
        return String.join("/", segs);
    }
}
