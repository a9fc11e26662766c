package org.uso4j.app;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.uso4j.pipeline.generate.ModelComponent;
import org.uso4j.spark.ModelSet;
import org.uso4j.spark.RemoteModels;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * Where the executors of a spark command get the models: {@code --models} and the overrides may be local paths
 * (every node has them at that path, as for {@code uso4j generate}) or Hadoop URIs ({@code hdfs:}, {@code s3a:},
 * {@code file:}, ...), which each node copies once into its model cache ({@code --model-cache}).
 */
final class SparkModelSource {
    @Option(names = "--model-cache", paramLabel = "DIR", description = "each node's cache of the models given as URIs (default: java.io.tmpdir/uso4j-model-cache)")
    String cache;

    /** The job's models: local paths as {@code models} resolves them, or the manifest of the URIs given on {@code spec}'s command line. */
    ModelSet resolve(CommandSpec spec, ModelOptions models) {
        String root = given(spec, "--models");
        Map<ModelComponent, String> overrides = new EnumMap<>(ModelComponent.class);
        for (ModelComponent c : ModelComponent.values()) {
            String v = given(spec, c.flag());
            if (v != null) overrides.put(c, v);
        }
        boolean remote = RemoteModels.isUri(root) || overrides.values().stream().anyMatch(RemoteModels::isUri);
        return remote ? RemoteModels.resolve(root, overrides, cache) : ModelSet.local(models.resolve());
    }

    /** The option's value as typed (a Path would fold a URI's {@code //}), or null. */
    private static String given(CommandSpec spec, String name) {
        OptionSpec o = spec.findOption(name);
        List<String> values = o == null ? List.of() : o.originalStringValues();
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }
}
