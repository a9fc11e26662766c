package org.uso4j.pipeline.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.uso4j.core.backend.CpuBackend;

/** Every encoder golden case (SigLIP, T5, CLIP text) through {@link Verifier}, as {@code uso4j verify} runs it. */
class EncoderGoldenTest {
    static Path golden() { return Path.of(System.getProperty("uso4j.golden", "../shared/golden")); }

    static List<String> cases() throws IOException {
        Path g = golden();
        if (!Files.isDirectory(g)) return List.of("(golden folder absent)");
        try (Stream<Path> s = Files.list(g)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("case.json")))
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("siglip_tiny") || n.startsWith("t5_tiny") || n.startsWith("clip_text_tiny"))
                    .sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void passes(String name) {
        Path dir = golden().resolve(name);
        Assumptions.assumeTrue(Files.isDirectory(dir), "golden case " + dir + " absent");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        VerifyReport report = new VerifyReport(new PrintStream(text, true, StandardCharsets.UTF_8));
        boolean ok = new Verifier(new CpuBackend(2)).verify(dir, report);
        String log = text.toString(StandardCharsets.UTF_8);
        System.out.println(name + ":\n" + log);
        assertTrue(ok && report.allPassed(), name + " failed:\n" + log);
    }
}
