package dev.sluice.compat;

/**
 * A service error as one SDK reported it, reduced to what the suite asserts on: the error code the client saw and the
 * HTTP status. Both ports throw it, so one assertion covers the query protocol (code from {@code <Code>}) and JSON 1.0
 * (code from the {@code x-amzn-query-error} header, which the v2 SDK prefers because SQS is awsQueryCompatible).
 */
public final class SqsError extends RuntimeException {
    private final String code;
    private final int status;

    public SqsError(String code, int status, String message, Throwable cause) {
        super("%s (HTTP %d): %s".formatted(code, status, message), cause);
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
