package org.uso4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command's wiring; the transfer itself is tested in pipeline's HubDownloaderTest against a fuller fake hub. */
class DownloadCommandTest {
    @TempDir Path models;
    HttpServer server;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    /** Every resolve URL answers 200 with the path as content; black-forest-labs/* answers 401. */
    @BeforeEach void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                String path = ex.getRequestURI().getRawPath();
                if (path.startsWith("/black-forest-labs/")) {
                    ex.sendResponseHeaders(401, -1);
                    return;
                }
                byte[] body = path.getBytes(StandardCharsets.UTF_8);
                if (ex.getRequestMethod().equals("HEAD")) {
                    ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
                    ex.sendResponseHeaders(200, -1);
                } else {
                    ex.sendResponseHeaders(200, body.length);
                    ex.getResponseBody().write(body);
                }
            }
        });
        server.start();
    }

    @AfterEach void stop() {
        server.stop(0);
    }

    int run(Map<String, String> env, String... args) {
        DownloadCommand cmd = new DownloadCommand();
        cmd.env = env;
        return new CommandLine(cmd).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    String hubUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test void fetchesTheChosenComponentsFromTheEndpointInTheEnvironment() throws Exception {
        int rc = run(Map.of("HF_ENDPOINT", hubUrl()), "--models", models.toString(), "--components", "uso,siglip");
        assertEquals(0, rc, out + "\n" + err);
        Path lora = models.resolve("weights/USO/uso_flux_v1.0/dit_lora.safetensors");
        assertEquals("/bytedance-research/USO/resolve/main/uso_flux_v1.0/dit_lora.safetensors", Files.readString(lora));
        assertTrue(Files.isRegularFile(models.resolve("weights/siglip/preprocessor_config.json")));
        assertTrue(out.toString().contains("6 of 6 files in place"), out.toString());

        out.getBuffer().setLength(0);
        assertEquals(0, run(Map.of(), "--models", models.toString(), "--components", "uso", "--endpoint", hubUrl()));
        assertTrue(out.toString().contains("present"), out.toString());
    }

    @Test void gatedRepositoryWithoutTokenFailsWithTheLicenseUrl() {
        int rc = run(Map.of("HF_TOKEN_PATH", models.resolve("no-token").toString()), "--models", models.toString(), "--components", "ae", "--endpoint", hubUrl());
        assertEquals(1, rc);
        String s = out.toString();
        assertTrue(s.contains("https://huggingface.co/black-forest-labs/FLUX.1-dev"), s);
        assertTrue(s.contains("HF_TOKEN"), s);
        assertFalse(Files.exists(models.resolve("weights/FLUX.1-dev/ae.safetensors")));
    }

    @Test void dryRunListsFilesAndSizesWithoutFetching() throws Exception {
        Files.createDirectories(models.resolve("weights/siglip"));
        Files.writeString(models.resolve("weights/siglip/config.json"), "{}");
        int rc = run(Map.of(), "--models", models.toString(), "--dry-run", "--endpoint", hubUrl());
        assertEquals(0, rc, err.toString());
        String s = out.toString();
        assertTrue(s.contains("weights/FLUX.1-dev/flux1-dev.safetensors") && s.contains("~23.80 GB") && s.contains("(gated)"), s);
        assertTrue(s.contains("weights/t5-xxl/pytorch_model.bin"), s);
        assertTrue(s.contains("present (2 B)"), s);
        assertTrue(Files.notExists(models.resolve("weights/USO")), "a dry run fetches nothing");
    }

    @Test void badSelectionsAreUsageErrors() {
        assertEquals(2, run(Map.of(), "--components", "t5,t5-xflux", "--dry-run"));
        assertTrue(err.toString().contains("choose one"), err.toString());
        assertEquals(2, run(Map.of(), "--components", "nope", "--dry-run"));
        assertEquals(2, run(Map.of(), "--set", "comfy", "--components", "flux"));
        assertEquals(2, run(Map.of(), "--set", "fp4"));
        assertEquals(2, run(Map.of(), "--endpoint", "ftp://x", "--dry-run"));
    }

    @Test void listShowsComponentsAndSets() {
        assertEquals(0, run(Map.of(), "--list"));
        String s = out.toString();
        for (String name : new String[] {"flux", "t5-xflux", "comfy-uso", "gguf-flux-q8", "official", "gguf-q8"})
            assertTrue(s.contains(name), name + " in\n" + s);
    }
}
