package dev.sluice.store;

/**
 * An access key as kept on disk. The secret is stored as given: SigV4 verification needs it to compute the signature,
 * so it cannot be hashed (AWS keeps it recoverable too).
 */
public record StoredAccessKey(
        String accessKeyId, String secret, String accountId, boolean enabled, long createdMillis) {

    @Override
    public String toString() {
        return "StoredAccessKey[" + accessKeyId + ", account " + accountId + "]";
    }
}
