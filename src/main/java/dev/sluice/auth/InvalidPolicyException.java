package dev.sluice.auth;

/**
 * A {@code Policy} attribute Sluice refuses: not a policy document, beyond SQS's policy quotas, or saying something
 * Sluice cannot evaluate (which it refuses rather than grant too much). The message is the reason, in a sentence.
 */
public final class InvalidPolicyException extends RuntimeException {
    public InvalidPolicyException(String reason) {
        super(reason, null, false, false);
    }
}
