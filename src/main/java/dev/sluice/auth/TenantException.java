package dev.sluice.auth;

/** A tenant or key operation of the admin API that cannot be done; {@link Reason} picks the HTTP status. */
public final class TenantException extends RuntimeException {
    public enum Reason {
        NOT_FOUND,
        ALREADY_EXISTS,
        LIMIT_EXCEEDED,
        INVALID
    }

    private final Reason reason;

    public TenantException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
