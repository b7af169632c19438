package dev.sluice.auth;

/** A request refused by authentication or authorization; the message is AWS's wording and never holds a secret. */
public final class AuthException extends RuntimeException {
    private final AuthError error;

    public AuthException(AuthError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public AuthError error() {
        return error;
    }
}
