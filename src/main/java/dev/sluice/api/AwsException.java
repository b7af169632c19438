package dev.sluice.api;

/** A request fails with an AWS error; the protocol layer writes it in its own shape. */
public final class AwsException extends RuntimeException {
    private final AwsError error;

    public AwsException(AwsError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public AwsError error() {
        return error;
    }
}
