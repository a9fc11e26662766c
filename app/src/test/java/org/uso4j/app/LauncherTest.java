package org.uso4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code uso4j} launcher: picks JAVA_HOME when it is a JDK 25 or newer (passing over an older one) and keeps the JVM's incubator warning off the console. */
class LauncherTest {
    static final Path LAUNCHER = Path.of("../uso4j").toAbsolutePath().normalize();
    static final Path TEMURIN = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    static Path fakeJdk(Path dir, String version) throws IOException {
        Files.createDirectories(dir.resolve("bin"));
        Path java = Files.writeString(dir.resolve("bin/java"), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return dir;
    }

    static String chosen(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", LAUNCHER.toString()).redirectErrorStream(true);
        pb.environment().remove("JAVA_HOME_25");
        pb.environment().putAll(env);
        pb.environment().put("USO4J_PRINT_JDK", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test void theJvmsIncubatorWarningIsDroppedAndEverythingElsePassesThrough(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(LAUNCHER), "launcher not found at " + LAUNCHER);
        // a copy of the launcher beside an up-to-date "jar", run on a fake JDK that prints what the real one prints
        Path root = Files.createDirectories(tmp.resolve("checkout"));
        Path launcher = Files.copy(LAUNCHER, root.resolve("uso4j"));
        Files.createDirectories(root.resolve("app/target"));
        Files.write(root.resolve("app/target/uso4j.jar"), new byte[0]);
        Path jdk = fakeJdk(tmp.resolve("jdk-25"), "25.0.1");
        Files.writeString(jdk.resolve("bin/java"), "#!/bin/sh\necho 'WARNING: Using incubator modules: jdk.incubator.vector' >&2\n"
                + "echo 'WARNING: something else' >&2\necho \"stdout: $*\"\nexit 7\n");
        ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "generate", "--help");
        pb.environment().remove("JAVA_HOME_25");
        pb.environment().put("JAVA_HOME", jdk.toString());
        pb.redirectError(tmp.resolve("err.txt").toFile()).redirectOutput(tmp.resolve("out.txt").toFile());
        Process p = pb.start();
        assertEquals(7, p.waitFor(), "the JVM's exit code is the launcher's");
        for (int i = 0; i < 50 && Files.readString(tmp.resolve("err.txt")).isEmpty(); i++) Thread.sleep(100);  // the filter may end a moment later
        assertEquals("WARNING: something else\n", Files.readString(tmp.resolve("err.txt")));
        assertTrue(Files.readString(tmp.resolve("out.txt")).startsWith("stdout: --add-modules jdk.incubator.vector"), Files.readString(tmp.resolve("out.txt")));
        assertTrue(Files.readString(tmp.resolve("out.txt")).trim().endsWith("generate --help"), Files.readString(tmp.resolve("out.txt")));
    }

    @Test void javaHomeIsUsedWhenItIsJdk25OrNewer(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(LAUNCHER), "launcher not found at " + LAUNCHER);
        Path jdk26 = fakeJdk(tmp.resolve("jdk-26"), "26.0.1");
        assertEquals(jdk26.toString(), chosen(Map.of("JAVA_HOME", jdk26.toString())));
        Assumptions.assumeTrue(Files.isExecutable(TEMURIN.resolve("bin/java")), "Temurin 25 not installed");
        Path jdk17 = fakeJdk(tmp.resolve("jdk-17"), "17.0.15");
        assertEquals(TEMURIN.toString(), chosen(Map.of("JAVA_HOME", jdk17.toString())), "a JDK 17 JAVA_HOME is passed over");
        assertEquals(jdk26.toString(), chosen(Map.of("JAVA_HOME", jdk17.toString(), "JAVA_HOME_25", jdk26.toString())));
    }
}
