package org.uso4j.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.uso4j.app.server.ServerSettings;
import org.uso4j.app.server.UsoServer;
import org.uso4j.core.backend.Backend;
import org.uso4j.pipeline.generate.PipelineOptions;
import org.uso4j.pipeline.generate.UsoPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code uso4j serve}: the HTTP API and web page (the counterpart of the official Gradio app.py). */
@Command(name = "serve", mixinStandardHelpOptions = true, description = {"Serves USO over HTTP: a web page at /, a JSON API under /v1 (OpenAPI at /openapi.json).",
        "Jobs run one at a time in a bounded queue; results are kept under --data-dir across restarts."})
final class ServeCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin ModelOptions modelOptions;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default ${DEFAULT-VALUE}; any other than loopback requires --token)")
    String host;
    @Option(names = "--port", defaultValue = "7860", description = "TCP port (default ${DEFAULT-VALUE}, like the Gradio demo)") int port;
    @Option(names = "--data-dir", defaultValue = "uso4j-data", description = "job database and result images (default ./${DEFAULT-VALUE})") Path dataDir;
    @Option(names = "--token", defaultValue = "${env:USO4J_API_TOKEN}", description = "API token clients send as 'Authorization: Bearer <token>' (default: $USO4J_API_TOKEN)")
    String token;
    @Option(names = "--queue", defaultValue = "8", description = "jobs that may wait behind the running one (default ${DEFAULT-VALUE}); more get HTTP 429") int queue;
    @Option(names = "--max-body-mb", defaultValue = "64", description = "largest request body in MiB (default ${DEFAULT-VALUE})") int maxBodyMb;
    @Option(names = "--max-image-pixels", defaultValue = "16777216", description = "largest decoded upload, in pixels (default ${DEFAULT-VALUE} = 4096²)") long maxImagePixels;
    @Option(names = "--max-pixel-steps", defaultValue = "104857600", description = "largest width × height × num_steps of one request (default ${DEFAULT-VALUE} = 2048² × 25); more get HTTP 400")
    long maxPixelSteps;
    @Option(names = "--quantize", description = "quantize the FLUX weights at load: q8_0, q4_k or fp8 (default: as stored)") String quantize;
    @Option(names = "--offload", description = "load and release each stage in turn (lower peak memory)") boolean offload;
    @Option(names = "--threads", description = "CPU threads (default: all processors)") Integer threads;
    @Option(names = "--precision", defaultValue = "auto", converter = PrecisionOption.Converter.class, description = PrecisionOption.DESCRIPTION)
    PrecisionOption precision;
    @Mixin DeviceOption device;

    @Override public Integer call() throws InterruptedException {
        ServerSettings settings;
        try {
            settings = new ServerSettings(host, port, dataDir, token, queue, (long) maxBodyMb << 20, maxImagePixels, ServerSettings.DEFAULT_MAX_IMAGES,
                    maxPixelSteps);
            settings.checkExposure();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Backend be = BackendChoice.of(device, threads, precision, false).create();
        try (UsoPipeline pipeline = UsoPipeline.open(modelOptions.resolve(), be, PipelineOptions.defaults().withOffload(offload).withPreviews(true).withQuantize(PipelineOptions.parseQuantize(quantize)))) {
            UsoServer server;
            try {
                server = UsoServer.start(settings, pipeline::generate);
            } catch (RuntimeException e) {
                // data folder in use, port taken, unwritable folder: one line, not a stack trace
                spec.commandLine().getErr().println("uso4j serve: " + e.getMessage());
                return 1;
            }
            System.err.println("uso4j serve: open " + server.uri() + " (Ctrl-C stops; finished results stay in " + dataDir.toAbsolutePath() + ")");
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "uso4j-serve-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            stopped.await();
            return 0;
        }
    }
}
