package org.uso4j.vulkan;

import static org.lwjgl.util.shaderc.Shaderc.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GLSL compute sources (resources under {@code org/uso4j/vulkan/shaders/}) to SPIR-V with shaderc, at first use. The
 * result is cached on disk under the SHA-256 of the expanded source, the defines and the compiler settings, so a
 * later run loads it without compiling. {@code #include "file.glsl"} is expanded here, relative to the shaders folder.
 */
final class ShaderCompiler {
    static final String ROOT = "org/uso4j/vulkan/shaders/";
    private static final Pattern INCLUDE = Pattern.compile("(?m)^\\s*#include\\s+\"([^\"]+)\"\\s*$");
    private static final String SETTINGS = "shaderc vulkan1.3 spv1.6 O";

    private final Path cache; // null: no disk cache

    ShaderCompiler(Path cache) { this.cache = cache; }

    /** {@code $XDG_CACHE_HOME/uso4j/spirv} or {@code ~/.cache/uso4j/spirv}. */
    static Path defaultCacheFolder() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("uso4j").resolve("spirv");
    }

    /** SPIR-V words of {@code shader} with {@code defines}. */
    byte[] compile(String shader, Set<String> defines) {
        String source = expand(shader, new TreeSet<>());
        TreeSet<String> sorted = new TreeSet<>(defines);
        String key = sha256(SETTINGS + "\n" + String.join("\n", sorted) + "\n" + source);
        Path file = cache == null ? null : cache.resolve(key + ".spv");
        if (file != null && Files.isRegularFile(file)) {
            try {
                byte[] spv = Files.readAllBytes(file);
                if (spv.length >= 20 && spv.length % 4 == 0) return spv;
            } catch (IOException ignored) {
                // unreadable cache entry: compile again and replace it
            }
        }
        byte[] spv = shaderc(shader, source, sorted);
        if (file != null) store(file, spv);
        return spv;
    }

    private static byte[] shaderc(String shader, String source, Set<String> defines) {
        long compiler = shaderc_compiler_initialize();
        if (compiler == 0) throw new VulkanException("shaderc could not start (its native library is missing?)");
        long options = shaderc_compile_options_initialize();
        try {
            shaderc_compile_options_set_target_env(options, shaderc_target_env_vulkan, shaderc_env_version_vulkan_1_3);
            shaderc_compile_options_set_target_spirv(options, shaderc_spirv_version_1_6);
            shaderc_compile_options_set_optimization_level(options, shaderc_optimization_level_performance);
            for (String d : defines) {
                int eq = d.indexOf('=');
                shaderc_compile_options_add_macro_definition(options, eq < 0 ? d : d.substring(0, eq), eq < 0 ? "1" : d.substring(eq + 1));
            }
            long result = shaderc_compile_into_spv(compiler, source, shaderc_compute_shader, shader, "main", options);
            try {
                if (shaderc_result_get_compilation_status(result) != shaderc_compilation_status_success) {
                    throw new VulkanException("shader " + shader + " " + defines + " does not compile: "
                            + shaderc_result_get_error_message(result));
                }
                ByteBuffer bytes = shaderc_result_get_bytes(result);
                byte[] out = new byte[bytes.remaining()];
                bytes.get(out);
                return out;
            } finally {
                shaderc_result_release(result);
            }
        } finally {
            shaderc_compile_options_release(options);
            shaderc_compiler_release(compiler);
        }
    }

    /** The resource's text with every {@code #include} replaced by the included file (each at most once). */
    static String expand(String shader, Set<String> seen) {
        String text = read(shader);
        Matcher m = INCLUDE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String inc = m.group(1);
            String body = seen.add(inc) ? expand(inc, seen) : "";
            m.appendReplacement(out, Matcher.quoteReplacement("// ---- " + inc + "\n" + body));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String read(String shader) {
        try (InputStream in = ShaderCompiler.class.getClassLoader().getResourceAsStream(ROOT + shader)) {
            if (in == null) throw new IllegalArgumentException("no shader resource " + ROOT + shader);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading shader " + shader, e);
        }
    }

    private static void store(Path file, byte[] spv) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".spv-", ".tmp");
            Files.write(tmp, spv);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | SecurityException ignored) {
            // a read-only home: the shader is compiled again next run, nothing else changes
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
