package org.uso4j.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.Checkpoints;
import org.uso4j.model.vae.AutoEncoder;
import org.uso4j.pipeline.verify.GoldenCase;
import org.uso4j.pipeline.verify.VerifyReport;

/**
 * The VAE of the tiny USO installation ({@code pipeline_tiny/weights/FLUX.1-dev/ae.safetensors}: no metadata
 * config, 4 levels like FLUX): reference-image encode with the stored posterior eps, and decode + uint8 of the
 * final latents, for every run of the case.
 */
class AutoEncoderPipelineTinyTest {
    private static final Path GOLDEN = Path.of(System.getProperty("uso4j.golden", "../shared/golden"));

    @Test void pipelineTinyEncodeDecode() {
        Path dir = GOLDEN.resolve("pipeline_tiny");
        Assumptions.assumeTrue(Files.isDirectory(dir), "no golden folder " + dir);
        Backend be = CpuBackend.create();
        VerifyReport report = new VerifyReport(System.out);
        try (GoldenCase c = GoldenCase.open(dir); Checkpoint ckpt = Checkpoints.open(dir.resolve("weights/FLUX.1-dev/ae.safetensors"))) {
            AutoEncoder ae = AutoEncoder.load(ckpt);
            System.out.println(ae.summary());
            assertEquals(List.of(1, 1, 1, 1), ae.params().chMult());
            assertEquals(32, ae.params().ch());
            assertEquals(1, ae.params().numResBlocks());
            for (String name : c.io().names()) {
                if (name.endsWith(".ae_input")) {
                    String ref = name.substring(0, name.length() - ".ae_input".length()); // <run>/ref<k>
                    Tensor moments = ae.moments(be, c.tensor(name).toF32());
                    report.compare(ref + ".moments", moments, c.tensor(ref + ".moments"), c.requireAtol(ref + ".moments"));
                    Tensor z = ae.latent(be, moments, c.tensor(ref + ".posterior_eps").toF32());
                    report.compare(ref + ".latent", z, c.tensor(ref + ".latent"), c.requireAtol(ref + ".latent"));
                } else if (name.endsWith("/latent_final")) {
                    String run = name.substring(0, name.length() - "latent_final".length());
                    Tensor decoded = ae.decode(be, c.tensor(name).toF32());
                    report.compare(run + "decoded", decoded, c.tensor(run + "decoded"), c.requireAtol(run + "decoded"));
                    report.compare(run + "image_u8", DecodedImage.of(decoded).toTensor(), c.tensor(run + "image_u8"), 1);
                }
            }
        }
        assertTrue(report.results().size() >= 10, "too few outputs checked: " + report.results().size());
        assertTrue(report.allPassed(), "failures: " + report.results().stream().filter(r -> !r.pass()).toList());
    }
}
