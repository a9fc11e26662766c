package org.uso4j.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.uso4j.pipeline.eval.DemoMetricModels;
import org.uso4j.pipeline.generate.DemoModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "demo-model", mixinStandardHelpOptions = true,
        description = "Writes a tiny random-weight USO model set (official layout) and tiny CLIP/DINO/CSD metric models, to try every command"
                + " (generate, serve, eval) without downloads.")
final class DemoModelCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "output folder (gets weights/ and eval/ trees)") Path dir;
    @Option(names = "--seed", defaultValue = "0", description = "seed of the random weights") long seed;

    @Override public Integer call() {
        DemoModel.write(dir, seed);
        DemoMetricModels.write(dir, seed);
        System.out.println("wrote a tiny random USO model set to " + dir.resolve("weights") + " and metric models (CLIP ViT-B/32, DINO ViT-S/16, CSD) to "
                + dir.resolve("eval") + " (for smoke tests: their images and scores are noise)");
        return 0;
    }
}
