package org.uso4j.pipeline.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.pipeline.verify.Verifier;
import org.uso4j.pipeline.verify.VerifyReport;

class ImageGoldenTest {
    private static Path caseDir(String name) {
        Path dir = Path.of(System.getProperty("uso4j.golden", "../shared/golden")).resolve(name);
        Assumptions.assumeTrue(Files.isDirectory(dir), "golden case " + name + " not present");
        return dir;
    }

    @Test
    void siglipPreprocessIsBitExact() {
        VerifyReport report = new VerifyReport(System.out);
        assertTrue(new Verifier(new ScalarBackend()).verify(caseDir("siglip_preprocess"), report),
                report.failures() + " failures");
    }

    /**
     * Everything in {@code preprocess} is exact except the WebP decode: TwelveMonkeys' VP8 decoder converts
     * YUV to RGB differently from libwebp (no fancy chroma upsampling), so that one check is known to fail.
     */
    @Test
    void preprocessIsPixelExactFromPillowDecodedPixels() {
        VerifyReport report = new VerifyReport(System.out);
        new Verifier(new ScalarBackend()).verify(caseDir("preprocess"), report);
        List<VerifyReport.Result> failed = report.results().stream().filter(r -> !r.pass()).toList();
        for (VerifyReport.Result r : failed) {
            assertTrue(r.output().endsWith("/decoded[WEBP]"), "unexpected failure: " + r);
        }
        assertTrue(report.results().size() > 30, "too few checks: " + report.results().size());
        long jpegDecodes = report.results().stream().filter(r -> r.output().endsWith("/decoded[JPEG]") && r.pass()).count();
        assertEquals(1, jpegDecodes, "the JPEG decode should match Pillow's exactly");
    }
}
