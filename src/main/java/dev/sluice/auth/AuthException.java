package dev.sluice.auth;

/** A request refused by authentication or authorization; the message is AWS's wording and never holds a secret. */
public final class AuthException extends RuntimeException {
    private final AuthError error;
    private final String unknownAccessKeyId;

    public AuthException(AuthError error, String message) {
        this(error, message, null);
    }

    /** {@code unknownAccessKeyId}: the request's key, when this replica knows no key of that id. */
    public AuthException(AuthError error, String message, String unknownAccessKeyId) {
        super(message, null, false, false);
        this.error = error;
        this.unknownAccessKeyId = unknownAccessKeyId;
    }

    public AuthError error() {
        return error;
    }

    /** The request's access key id if the refusal was that no key of that id is known here; else null. */
    public String unknownAccessKeyId() {
        return unknownAccessKeyId;
    }
}
