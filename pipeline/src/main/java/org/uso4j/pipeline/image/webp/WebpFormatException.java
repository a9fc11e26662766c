package org.uso4j.pipeline.image.webp;

/** A WebP file that is malformed, truncated or uses an unsupported feature; {@link WebpDecoder} adds the file name. */
final class WebpFormatException extends RuntimeException {
    WebpFormatException(String problem) { super(problem); }
}
