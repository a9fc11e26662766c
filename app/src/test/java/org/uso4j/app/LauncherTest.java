package org.uso4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code uso4j} launcher picks JAVA_HOME when it is a JDK 25 or newer, and passes over an older one. */
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
