package org.uso4j.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.uso4j.pipeline.generate.DemoModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "demo-model", mixinStandardHelpOptions = true, description = "Writes a tiny random-weight USO model set (official layout) to try every command without downloads.")
final class DemoModelCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "output folder (gets a weights/ tree)") Path dir;
    @Option(names = "--seed", defaultValue = "0") long seed;

    @Override public Integer call() {
        DemoModel.write(dir, seed);
        System.out.println("wrote a tiny random USO model set to " + dir.resolve("weights") + " (for smoke tests: its images are noise)");
        return 0;
    }
}
