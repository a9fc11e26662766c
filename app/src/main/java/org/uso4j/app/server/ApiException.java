package org.uso4j.app.server;

/**
 * A request the server refuses: answered with {@code status} and {@code {"error": message, "field": field}}.
 * {@code field} names the request part that was wrong (a JSON field, a form field, a header, or "body").
 */
final class ApiException extends RuntimeException {
    private final int status;
    private final String field;

    public ApiException(int status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public static ApiException badRequest(String field, String message) { return new ApiException(400, field, message); }

    public static ApiException notFound(String message) { return new ApiException(404, null, message); }

    public int status() { return status; }

    /** The offending field, or null when the problem is not about one field. */
    public String field() { return field; }
}
