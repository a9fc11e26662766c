package org.uso4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code uso4j inspect} recognises every weight file of the golden folders, in every layout and container. */
class InspectCommandTest {
    @Test void everyGoldenWeightFileIsListedAndRecognised() throws IOException {
        Path golden = Path.of(System.getProperty("uso4j.golden", "../shared/golden"));
        Assumptions.assumeTrue(Files.isDirectory(golden));
        List<Path> files;
        try (Stream<Path> s = Files.walk(golden)) {
            files = s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                return (n.endsWith(".safetensors") && !n.equals("io.safetensors") && !n.startsWith("diffusion_pytorch_model-"))
                        || n.endsWith(".gguf") || n.endsWith(".bin") || n.endsWith(".index.json");
            }).sorted().toList();
        }
        assertTrue(files.size() > 30, "found " + files.size());
        for (Path f : files) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream old = System.out;
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int code;
            try {
                code = new CommandLine(new Main()).execute("inspect", f.toString());
            } finally {
                System.setOut(old);
            }
            String text = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, f + ":\n" + text);
            assertTrue(text.contains(" tensors, "), f + ":\n" + text);
            assertFalse(text.contains("layout: unrecognised"), f + ":\n" + text);
        }
    }

    @Test void aBrokenFileIsReportedNotThrown(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path bad = Files.write(tmp.resolve("bad.safetensors"), new byte[]{1, 2, 3});
        Cli r = Cli.run("inspect", bad.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("bad.safetensors: not a valid safetensors file"), r.all());
    }
}
