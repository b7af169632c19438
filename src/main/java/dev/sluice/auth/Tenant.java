package dev.sluice.auth;

import dev.sluice.store.StoredTenant;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A tenant is one AWS-style account: its 12-digit account id owns its queues. The limits are optional; a disabled
 * tenant's keys all stop working.
 */
public record Tenant(
        String accountId,
        String name,
        boolean enabled,
        Optional<Integer> maxQueues,
        Optional<Long> maxMessages,
        Instant created) {

    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

    public Tenant {
        if (accountId == null || !ACCOUNT_ID.matcher(accountId).matches()) {
            throw new IllegalArgumentException("an account id is 12 digits");
        }
    }

    public static boolean isAccountId(String value) {
        return value != null && ACCOUNT_ID.matcher(value).matches();
    }

    public Tenant withEnabled(boolean value) {
        return new Tenant(accountId, name, value, maxQueues, maxMessages, created);
    }

    public StoredTenant toStored() {
        return new StoredTenant(
                accountId, name, enabled, maxQueues.orElse(null), maxMessages.orElse(null), created.toEpochMilli());
    }

    public static Tenant of(StoredTenant stored) {
        return new Tenant(
                stored.accountId(),
                stored.name(),
                stored.enabled(),
                Optional.ofNullable(stored.maxQueues()),
                Optional.ofNullable(stored.maxMessages()),
                Instant.ofEpochMilli(stored.createdMillis()));
    }
}
