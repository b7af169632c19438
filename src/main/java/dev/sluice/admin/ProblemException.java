package dev.sluice.admin;

/**
 * An admin API request that cannot be served, answered as problem details (RFC 9457) with this status, a short code
 * and the detail text.
 */
public final class ProblemException extends RuntimeException {
    private final int status;
    private final String code;

    public ProblemException(int status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
    }

    static ProblemException invalid(String detail) {
        return new ProblemException(400, "InvalidParameterValue", detail);
    }

    static ProblemException forbidden(String detail) {
        return new ProblemException(403, "AccessDenied", detail);
    }

    static ProblemException notFound(String detail) {
        return new ProblemException(404, "NotFound", detail);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
