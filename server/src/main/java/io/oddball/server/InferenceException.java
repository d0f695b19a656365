package io.oddball.server;

/**
 * A request the server answers with an error: the status (the protocol's HTTP codes, mapped to gRPC codes by the gRPC
 * front door) and one line saying what was expected and what was found.
 */
public final class InferenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a request failed. */
    public enum Status {
        BAD_REQUEST(400), NOT_FOUND(404), UNAVAILABLE(503), INTERNAL(500);

        private final int http;

        Status(int http) {
            this.http = http;
        }

        public int http() {
            return http;
        }
    }

    private final Status status;
    private final int retryAfterSeconds;

    public InferenceException(Status status, String message, int retryAfterSeconds, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static InferenceException badRequest(String message) {
        return new InferenceException(Status.BAD_REQUEST, message, 0, null);
    }

    public static InferenceException notFound(String message) {
        return new InferenceException(Status.NOT_FOUND, message, 0, null);
    }

    /** 503: not ready, overloaded, timed out or shutting down; clients may retry after {@code retryAfterSeconds}. */
    public static InferenceException unavailable(String message, int retryAfterSeconds) {
        return new InferenceException(Status.UNAVAILABLE, message, retryAfterSeconds, null);
    }

    public Status status() {
        return status;
    }

    /** Seconds a client should wait before retrying (a {@code Retry-After} header), 0 for none. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** {@code t} (or what it wraps) as an InferenceException: bad data is a 400, anything unexpected a 500. */
    public static InferenceException of(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof InferenceException e) {
            return e;
        }
        if (t instanceof java.util.concurrent.TimeoutException) {
            return unavailable("the request timed out (the server is busy); try again", 1);
        }
        if (t instanceof io.oddball.api.error.DataException || t instanceof io.oddball.api.error.ConfigException) {
            return new InferenceException(Status.BAD_REQUEST, t.getMessage(), 0, t);
        }
        return new InferenceException(Status.INTERNAL, "internal error: " + t, 0, t);
    }
}
