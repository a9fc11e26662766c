package org.uso4j.pipeline.files;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local imitation of the Hugging Face hub on 127.0.0.1 (ephemeral port): {@code HEAD/GET /{repo}/resolve/{rev}/{path}}
 * answers LFS files with a 302 to {@code /cdn/...} carrying {@code X-Linked-Size} / {@code X-Linked-ETag}
 * (sha256), regular files with a 200 and a git blob sha1 ETag; the CDN honours {@code Range} (206). Knobs imitate
 * gated repos, renamed repos (relative 307), a CDN on another origin, cut and stalled connections, servers that
 * ignore {@code Range}, and wrong announced checksums.
 */
final class FakeHub implements AutoCloseable {
    private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+)/resolve/([^/]+)/(.+)");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    record Stored(byte[] content, boolean lfs, String announcedEtag) {}

    private final HttpServer hub;
    private final HttpServer cdn; // null: the CDN is /cdn/ on the hub itself (relative Location)
    private final Map<String, Stored> files = new ConcurrentHashMap<>();
    final Set<String> gatedRepos = ConcurrentHashMap.newKeySet();
    final Map<String, String> renamedRepos = new ConcurrentHashMap<>(); // old -> new
    volatile String token = "hf_secret";
    /** The next N content GETs send only {@link #cutAfterBytes} bytes, then drop the connection. */
    final AtomicInteger cutsLeft = new AtomicInteger();
    volatile int cutAfterBytes = 1000;
    /** The next N content GETs send {@link #cutAfterBytes} bytes, then stall until the hub closes. */
    final AtomicInteger stallsLeft = new AtomicInteger();
    volatile boolean ignoreRange;
    final List<String> requests = new CopyOnWriteArrayList<>();      // "METHOD path [Range]"
    final List<String> cdnAuthorizations = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    FakeHub(boolean separateCdn) throws IOException {
        hub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hub.createContext("/", this::handleHub);
        hub.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        if (separateCdn) {
            cdn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            cdn.createContext("/", this::handleCdn);
            cdn.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            cdn.start();
        } else {
            cdn = null;
            hub.createContext("/cdn/", this::handleCdn);
        }
        hub.start();
    }

    HubEndpoint endpoint() {
        return HubEndpoint.of("http://127.0.0.1:" + hub.getAddress().getPort());
    }

    /** Stores an LFS file (redirected to the CDN, sha256 announced). */
    void lfs(String repo, String path, byte[] content) {
        files.put(repo + "/" + path, new Stored(content, true, sha256(content)));
    }

    /** Stores an LFS file whose announced sha256 is wrong. */
    void lfsWithEtag(String repo, String path, byte[] content, String etag) {
        files.put(repo + "/" + path, new Stored(content, true, etag));
    }

    /** Stores a regular git file (200 from the hub, git blob sha1 as ETag). */
    void regular(String repo, String path, byte[] content) {
        files.put(repo + "/" + path, new Stored(content, false, gitBlobSha1(content)));
    }

    long countRequests(String prefix) {
        return requests.stream().filter(r -> r.startsWith(prefix)).count();
    }

    private void handleHub(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            requests.add(ex.getRequestMethod() + " " + path + range(ex));
            Matcher m = RESOLVE.matcher(path);
            if (!m.matches()) {
                send(ex, 404, -1);
                return;
            }
            String repo = m.group(1), rev = m.group(2), file = m.group(3);
            if (renamedRepos.containsKey(repo)) {
                ex.getResponseHeaders().set("Location", "/" + renamedRepos.get(repo) + "/resolve/" + rev + "/" + file);
                send(ex, 307, -1);
                return;
            }
            if (gatedRepos.contains(repo) && !("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().set("X-Error-Code", "GatedRepo");
                ex.getResponseHeaders().set("X-Error-Message", "Access to model " + repo + " is restricted.");
                send(ex, ex.getRequestHeaders().containsKey("Authorization") ? 403 : 401, -1);
                return;
            }
            Stored s = files.get(repo + "/" + file);
            if (s == null) {
                ex.getResponseHeaders().set("X-Error-Code", "EntryNotFound");
                send(ex, 404, -1);
                return;
            }
            Headers h = ex.getResponseHeaders();
            h.set("X-Repo-Commit", "0123456789abcdef0123456789abcdef01234567");
            if (s.lfs()) {
                h.set("X-Linked-Size", Long.toString(s.content().length));
                h.set("X-Linked-ETag", "\"" + s.announcedEtag() + "\"");
                h.set("ETag", "\"" + s.announcedEtag() + "\"");
                String cdnPath = "/cdn/" + repo + "/" + file + "?signature=abc";
                h.set("Location", cdn == null ? cdnPath : "http://127.0.0.1:" + cdn.getAddress().getPort() + cdnPath);
                send(ex, 302, -1);
                return;
            }
            h.set("ETag", "\"" + s.announcedEtag() + "\"");
            serveContent(ex, s.content());
        }
    }

    private void handleCdn(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            requests.add("CDN " + ex.getRequestMethod() + " " + path + range(ex));
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth != null) cdnAuthorizations.add(auth);
            Stored s = files.get(path.substring("/cdn/".length()));
            if (s == null) {
                send(ex, 404, -1);
                return;
            }
            serveContent(ex, s.content());
        }
    }

    private void serveContent(HttpExchange ex, byte[] content) throws IOException {
        Headers h = ex.getResponseHeaders();
        h.set("Accept-Ranges", "bytes");
        long from = 0;
        Matcher rm = RANGE.matcher(range(ex).strip());
        if (!ignoreRange && rm.matches()) {
            from = Long.parseLong(rm.group(1));
            if (from >= content.length) {
                h.set("Content-Range", "bytes */" + content.length);
                send(ex, 416, -1);
                return;
            }
            h.set("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        int status = from > 0 || (!ignoreRange && rm.matches()) ? 206 : 200;
        int len = content.length - (int) from;
        if (ex.getRequestMethod().equals("HEAD")) {
            h.set("Content-Length", Integer.toString(len));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        boolean cut = cutsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        boolean stall = !cut && stallsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        ex.sendResponseHeaders(status, len == 0 ? -1 : len);
        OutputStream out = ex.getResponseBody();
        int n = cut || stall ? Math.min(cutAfterBytes, len) : len;
        out.write(content, (int) from, n);
        out.flush();
        if (stall) {
            try {
                closing.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Fewer bytes than Content-Length: closing the exchange (not its body stream, which would leave the
        // connection open) makes HttpServer drop the connection.
        if (cut || stall) ex.close();
    }

    private static String range(HttpExchange ex) {
        String r = ex.getRequestHeaders().getFirst("Range");
        return r == null ? "" : " " + r;
    }

    private static void send(HttpExchange ex, int status, long len) throws IOException {
        ex.sendResponseHeaders(status, len);
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String gitBlobSha1(byte[] b) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            md.update(("blob " + b.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(md.digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    URI base() {
        return endpoint().base();
    }

    @Override public void close() {
        closing.countDown();
        hub.stop(0);
        if (cdn != null) cdn.stop(0);
        ((java.util.concurrent.ExecutorService) hub.getExecutor()).shutdownNow();
        if (cdn != null) ((java.util.concurrent.ExecutorService) cdn.getExecutor()).shutdownNow();
    }
}
