package org.uso4j.app.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * How {@code uso4j serve} runs.
 *
 * @param host           address to bind (127.0.0.1 by default; anything not loopback requires {@code token})
 * @param port           TCP port; 0 picks a free one (tests)
 * @param dataDir        folder of the job database and the result PNGs
 * @param token          bearer token required on /v1 requests, or null for none
 * @param queueCapacity  jobs that may wait behind the running one; more get 429
 * @param maxBodyBytes   largest accepted request body (JSON or multipart)
 * @param maxImagePixels largest accepted decoded size of one uploaded image (decompression bombs)
 * @param maxImages      most images per list (content or style)
 * @param maxPixelSteps  largest width × height × num_steps one request may ask for (a bound on its run time)
 */
public record ServerSettings(String host, int port, Path dataDir, String token, int queueCapacity, long maxBodyBytes,
                             long maxImagePixels, int maxImages, long maxPixelSteps) {
    public static final int DEFAULT_PORT = 7860;
    public static final long DEFAULT_MAX_BODY_BYTES = 64L << 20;
    public static final long DEFAULT_MAX_IMAGE_PIXELS = 4096L * 4096L;
    public static final int DEFAULT_MAX_IMAGES = 4;
    /** 2048² at the official 25 steps (or 1024² at 100). */
    public static final long DEFAULT_MAX_PIXEL_STEPS = 2048L * 2048L * 25L;

    public ServerSettings {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("--host must not be empty");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0..65535, got " + port);
        if (dataDir == null) throw new IllegalArgumentException("--data-dir is required");
        if (token != null && token.isBlank()) token = null;
        if (queueCapacity < 1 || queueCapacity > 10_000) throw new IllegalArgumentException("--queue must be 1..10000, got " + queueCapacity);
        if (maxBodyBytes < 1024) throw new IllegalArgumentException("body limit must be at least 1024 bytes, got " + maxBodyBytes);
        if (maxImagePixels < 1) throw new IllegalArgumentException("image pixel limit must be >= 1, got " + maxImagePixels);
        if (maxImages < 1) throw new IllegalArgumentException("image count limit must be >= 1, got " + maxImages);
        if (maxPixelSteps < 16 * 16) throw new IllegalArgumentException("--max-pixel-steps must be >= 256, got " + maxPixelSteps);
    }

    /** Loopback defaults with the given data folder (tests and embedding). */
    public static ServerSettings local(Path dataDir, int port, int queueCapacity) {
        return new ServerSettings("127.0.0.1", port, dataDir, null, queueCapacity, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_IMAGE_PIXELS, DEFAULT_MAX_IMAGES,
                DEFAULT_MAX_PIXEL_STEPS);
    }

    public ServerSettings withToken(String t) {
        return new ServerSettings(host, port, dataDir, t, queueCapacity, maxBodyBytes, maxImagePixels, maxImages, maxPixelSteps);
    }

    public ServerSettings withHost(String h) {
        return new ServerSettings(h, port, dataDir, token, queueCapacity, maxBodyBytes, maxImagePixels, maxImages, maxPixelSteps);
    }

    public ServerSettings withLimits(long bodyBytes, long imagePixels) {
        return new ServerSettings(host, port, dataDir, token, queueCapacity, bodyBytes, imagePixels, maxImages, maxPixelSteps);
    }

    public ServerSettings withMaxPixelSteps(long n) {
        return new ServerSettings(host, port, dataDir, token, queueCapacity, maxBodyBytes, maxImagePixels, maxImages, n);
    }

    /**
     * Refuses a non-loopback bind without a token: anyone on the network could otherwise run (expensive)
     * generations and read every result.
     */
    public void checkExposure() {
        if (token != null) return;
        boolean loopback;
        try {
            loopback = InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--host " + host + ": cannot resolve (" + e.getMessage() + ")");
        }
        if (!loopback) {
            throw new IllegalArgumentException("--host " + host + " is not a loopback address: set an API token with --token or "
                    + "the USO4J_API_TOKEN environment variable (clients then send 'Authorization: Bearer <token>')");
        }
    }
}
