package org.uso4j.app;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.Checkpoints;
import org.uso4j.core.io.TensorEntry;
import org.uso4j.model.CheckpointLayouts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Lists a checkpoint's tensors (name, dtype, shape), its size and the layout it was recognised as.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "checkpoint files or folders")
    List<Path> files;

    @picocli.CommandLine.ParentCommand Main main;

    @Override public Integer call() {
        int bad = 0;
        for (Path f : files) {
            try (Checkpoint c = Checkpoints.open(f)) {
                long bytes = 0;
                System.out.println(c.source());
                for (TensorEntry e : c.entries()) {
                    System.out.printf("  %-72s %-8s %s%n", e.name(), e.dtype(), e.shape());
                    bytes += e.byteSize();
                }
                System.out.printf("  %d tensors, %.2f MB%n", c.entries().size(), bytes / 1e6);
                System.out.println("  layout: " + CheckpointLayouts.describe(c));
            } catch (RuntimeException e) {
                String m = String.valueOf(e.getMessage());
                main.console().error("error: " + (m.contains(f.toString()) ? m : f + ": " + m)); // readers' messages already name the file
                if (main.console().verbose()) e.printStackTrace();
                bad++;
            }
        }
        return bad == 0 ? 0 : 1;
    }
}
