package org.uso4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.pipeline.generate.DemoModel;

/**
 * A machine without a Vulkan loader (simulated by pointing LWJGL at a library that does not exist): --device vulkan
 * fails naming the cause, with no stack trace and no JVM crash; --device auto runs on the CPU; devices says so.
 */
class NoVulkanTest {
    private record Run(int exit, String err, String out) {}

    private static Run run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Xmx1g", "-Dorg.lwjgl.vulkan.libname=libvulkan-not-installed.so.1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(dir.resolve("err.txt").toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "still running");
        return new Run(p.exitValue(), Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8));
    }

    @Test void withoutALoaderVulkanIsAClearErrorAndAutoIsTheCpu(@TempDir Path dir) throws Exception {
        DemoModel.write(dir.resolve("m"), 5);
        String[] gen = {"generate", "--models", dir.resolve("m").toString(), "--prompt", "A cat.", "--width", "32", "--height", "32",
                "--num-steps", "1", "--save-path", dir.resolve("out").toString()};
        List<String> vulkan = new ArrayList<>(List.of(gen));
        vulkan.addAll(List.of("--device", "vulkan"));
        Run v = run(dir, vulkan.toArray(String[]::new));
        assertEquals(1, v.exit(), v.err());
        assertTrue(v.err().contains("no Vulkan loader library"), v.err());
        assertFalse(v.err().contains("\tat "), "no stack trace: " + v.err());
        Run auto = run(dir, gen);
        assertEquals(0, auto.exit(), auto.err());
        assertTrue(Files.isRegularFile(dir.resolve("out/0_0.png")), auto.out());
        Run devices = run(dir, "devices");
        assertEquals(0, devices.exit(), devices.err());
        assertTrue(devices.out().contains("no Vulkan: no Vulkan loader library"), devices.out());
    }
}
