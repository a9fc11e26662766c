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

    @Test void aFileWithTheMostTensorsAllowedIsListedInLinearTime(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        int n = 1 << 17; // SafetensorsFile's bound; a million is refused at open
        StringBuilder h = new StringBuilder("{");
        for (int i = 0; i < n; i++) h.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}");
        byte[] header = h.append('}').toString().getBytes(StandardCharsets.UTF_8);
        Path f = Files.write(tmp.resolve("many.safetensors"), java.nio.ByteBuffer.allocate(8 + header.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(header.length).put(header).array());
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, false, StandardCharsets.UTF_8));
        long t0 = System.nanoTime();
        int code;
        try {
            code = new CommandLine(new Main()).execute("inspect", f.toString());
        } finally {
            System.setOut(old);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("inspect of %d empty tensors: %.2f s%n", n, s);
        assertEquals(0, code);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(n + " tensors"));
        assertTrue(s < 30, "inspect took " + s + " s");
    }
}
