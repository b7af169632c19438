package dev.sluice.auth;

import dev.sluice.store.StoredAccessKey;
import java.time.Instant;

/** An access key of a tenant: the id a client sends, the secret it signs with, and whether it may be used. */
public record AccessKey(String accessKeyId, String secret, String accountId, boolean enabled, Instant created) {

    public AccessKey withEnabled(boolean value) {
        return new AccessKey(accessKeyId, secret, accountId, value, created);
    }

    public StoredAccessKey toStored() {
        return new StoredAccessKey(accessKeyId, secret, accountId, enabled, created.toEpochMilli());
    }

    public static AccessKey of(StoredAccessKey stored) {
        return new AccessKey(
                stored.accessKeyId(),
                stored.secret(),
                stored.accountId(),
                stored.enabled(),
                Instant.ofEpochMilli(stored.createdMillis()));
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "AccessKey[" + accessKeyId + ", account " + accountId + (enabled ? "" : ", disabled") + "]";
    }
}
