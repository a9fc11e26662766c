package org.uso4j.pipeline.files;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.uso4j.pipeline.files.DownloadException.Kind;

/**
 * The HTTP side of the hub: {@code HEAD} and ranged {@code GET} of a resolve URL, following redirects by hand
 * (the hub answers LFS files with a 302 to its CDN, renamed repositories with a relative 307) so that the
 * bearer token is sent to the hub only, never to the CDN, and so that the {@code X-Linked-*} headers of the
 * redirect itself can be read. Hub refusals become {@link DownloadException}s with a message a user can act on.
 */
final class HubClient {
    static final int MAX_REDIRECTS = 10;
    private static final String USER_AGENT = "uso4j/0.1.0; java/" + Runtime.version().feature();

    private final HttpClient http;
    private final HubEndpoint endpoint;
    private final String token; // null: anonymous
    private final Duration timeout;

    HubClient(HubEndpoint endpoint, Optional<String> token, Duration timeout) {
        this.endpoint = Objects.requireNonNull(endpoint);
        this.token = token.filter(t -> !t.isBlank()).map(String::strip).orElse(null);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .build();
    }

    boolean hasToken() {
        return token != null;
    }

    /**
     * What the hub says about {@code f}: size and etag from the {@code X-Linked-*} headers of the LFS redirect
     * when present (the CDN is then not contacted), else from the final {@code 200}.
     */
    RemoteFile head(WeightFile f) throws IOException, InterruptedException {
        URI uri = endpoint.resolveUrl(f);
        String commit = "";
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<Void> r = http.send(request(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            HttpHeaders h = r.headers();
            commit = h.firstValue("X-Repo-Commit").orElse(commit);
            int s = r.statusCode();
            if (isRedirect(s)) {
                OptionalLong linkedSize = longHeader(h, "X-Linked-Size");
                Optional<String> linkedEtag = h.firstValue("X-Linked-ETag");
                if (linkedSize.isPresent() || linkedEtag.isPresent())
                    return new RemoteFile(linkedSize.orElse(-1), linkedEtag.or(() -> h.firstValue("ETag")).orElse(""), commit);
                uri = location(f, uri, h);
                continue;
            }
            if (s == 200) {
                long size = longHeader(h, "X-Linked-Size").orElse(longHeader(h, "Content-Length").orElse(-1));
                return new RemoteFile(size, h.firstValue("X-Linked-ETag").or(() -> h.firstValue("ETag")).orElse(""), commit);
            }
            throw refusal(f, s, h);
        }
        throw new DownloadException(Kind.SERVER, f.source() + ": more than " + MAX_REDIRECTS + " redirects from " + endpoint.resolveUrl(f));
    }

    /**
     * Opens the content of {@code f} from byte {@code from} on ({@code Range: bytes=from-} when {@code from > 0}).
     * Returns a response with status 200, 206 or 416; the caller closes its body.
     */
    HttpResponse<InputStream> get(WeightFile f, long from) throws IOException, InterruptedException {
        URI uri = endpoint.resolveUrl(f);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = request(uri).GET();
            if (from > 0) b.header("Range", "bytes=" + from + "-");
            HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            int s = r.statusCode();
            if (s == 200 || s == 206 || s == 416) return r;
            r.body().close();
            if (isRedirect(s)) {
                uri = location(f, uri, r.headers());
                continue;
            }
            throw refusal(f, s, r.headers());
        }
        throw new DownloadException(Kind.SERVER, f.source() + ": more than " + MAX_REDIRECTS + " redirects from " + endpoint.resolveUrl(f));
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", USER_AGENT)
                .header("Accept-Encoding", "identity"); // sizes and checksums are of the stored bytes
        if (token != null && sameOrigin(uri, endpoint.base())) b.header("Authorization", "Bearer " + token);
        return b;
    }

    /** The redirect target, resolved against the current URL when relative. */
    private static URI location(WeightFile f, URI current, HttpHeaders h) {
        String loc = h.firstValue("Location").orElseThrow(() ->
                new DownloadException(Kind.SERVER, f.source() + ": redirect without a Location header from " + current));
        try {
            URI next = current.resolve(loc.strip());
            String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https"))
                throw new DownloadException(Kind.SERVER, f.source() + ": redirect to a non-http URL '" + loc + "'");
            return next;
        } catch (IllegalArgumentException e) {
            throw new DownloadException(Kind.SERVER, f.source() + ": bad redirect Location '" + loc + "' from " + current);
        }
    }

    /** A refusal as the user should read it. */
    private DownloadException refusal(WeightFile f, int status, HttpHeaders h) {
        String code = h.firstValue("X-Error-Code").orElse("");
        String hubSays = h.firstValue("X-Error-Message").map(m -> " Hub says: " + m).orElse("");
        String what = f.source() + " (revision " + f.revision() + ")";
        if (status == 401 || status == 403) {
            // licenses and tokens belong to huggingface.co accounts, also when the files come through a mirror
            String page = HubEndpoint.DEFAULT.repoPage(f.repo());
            boolean gated = f.gated() || code.equals("GatedRepo");
            if (gated && token == null)
                return new DownloadException(Kind.ACCESS, f.repo() + " is a gated repository (HTTP " + status + " for " + what + "). "
                        + "Accept its license while logged in at " + page + ", create a read token at "
                        + HubEndpoint.DEFAULT.base() + "/settings/tokens, and pass it with --token or the HF_TOKEN environment variable." + hubSays);
            if (gated)
                return new DownloadException(Kind.ACCESS, f.repo() + " refused the token (HTTP " + status + " for " + what + "). "
                        + "Accept the license at " + page + " with the account that owns the token "
                        + "(access may take a moment to be granted), and make sure the token may read gated repositories." + hubSays);
            return new DownloadException(Kind.ACCESS, what + ": HTTP " + status + " - the repository does not exist, is private, or "
                    + (token == null ? "needs a token (--token or HF_TOKEN)." : "does not accept this token.") + hubSays);
        }
        if (status == 404)
            return new DownloadException(Kind.NOT_FOUND, what + ": not found (HTTP 404" + (code.isEmpty() ? "" : ", " + code) + ")." + hubSays);
        if (status == 429 || status >= 500)
            return new DownloadException(Kind.SERVER, what + ": the server answered HTTP " + status + "." + hubSays);
        return new DownloadException(Kind.SERVER, what + ": unexpected HTTP " + status + "." + hubSays);
    }

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    static OptionalLong longHeader(HttpHeaders h, String name) {
        Optional<String> v = h.firstValue(name);
        if (v.isEmpty()) return OptionalLong.empty();
        try {
            long n = Long.parseLong(v.get().strip());
            return n < 0 ? OptionalLong.empty() : OptionalLong.of(n);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }
}
