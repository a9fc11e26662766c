package org.uso4j.pipeline.files;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * The base address of a Hugging Face hub ({@code https://huggingface.co}, a mirror, or a test server).
 * Files are fetched from {@code {base}/{repo}/resolve/{revision}/{path}}, like {@code huggingface_hub}'s
 * {@code hf_hub_url}.
 */
public record HubEndpoint(URI base) {
    /** The public hub. */
    public static final HubEndpoint DEFAULT = new HubEndpoint(URI.create("https://huggingface.co"));

    public HubEndpoint {
        Objects.requireNonNull(base, "base");
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || base.getHost() == null)
            throw new IllegalArgumentException("hub endpoint must be an absolute http(s) URL, got '" + base + "'");
        if (base.getQuery() != null || base.getFragment() != null)
            throw new IllegalArgumentException("hub endpoint must not have a query or fragment: '" + base + "'");
        String s = base.toString();
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        base = URI.create(s);
    }

    /** Parses a user-given endpoint ({@code --endpoint}, {@code HF_ENDPOINT}). */
    public static HubEndpoint of(String text) {
        try {
            return new HubEndpoint(new URI(text.trim()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("hub endpoint is not a URL: '" + text + "' (" + e.getReason() + ")");
        }
    }

    /** {@code {base}/{repo}/resolve/{revision}/{remotePath}}, each path segment percent-encoded. */
    public URI resolveUrl(WeightFile f) {
        StringBuilder path = new StringBuilder(base.getRawPath());
        for (String seg : f.repo().split("/")) path.append('/').append(encode(seg));
        path.append("/resolve/").append(encode(f.revision()));
        for (String seg : f.remotePath().split("/")) path.append('/').append(encode(seg));
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path);
    }

    /** The repository's page, where a gated repository's license is accepted. */
    public String repoPage(String repo) {
        return base + "/" + repo;
    }

    private static String encode(String segment) {
        StringBuilder sb = new StringBuilder();
        for (byte b : segment.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) sb.append((char) c);
            else sb.append('%').append(String.format("%02X", c));
        }
        return sb.toString();
    }
}
