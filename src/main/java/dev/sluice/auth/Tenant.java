package dev.sluice.auth;

import dev.sluice.quota.Quota;
import dev.sluice.quota.Rate;
import dev.sluice.store.StoredQuota;
import dev.sluice.store.StoredRate;
import dev.sluice.store.StoredTenant;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A tenant is one AWS-style account: its 12-digit account id owns its queues. The limits are optional; a disabled
 * tenant's keys all stop working. Its quota, if it has one of its own, replaces the service-wide default.
 */
public record Tenant(
        String accountId,
        String name,
        boolean enabled,
        Optional<Integer> maxQueues,
        Optional<Long> maxMessages,
        Instant created,
        Optional<Quota> quota) {

    private static final int ACCOUNT_ID_LENGTH = 12;
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{" + ACCOUNT_ID_LENGTH + "}");

    public Tenant {
        if (!isAccountId(accountId)) {
            throw new IllegalArgumentException("an account id is 12 digits");
        }
    }

    /** A tenant without a quota of its own. */
    public Tenant(
            String accountId,
            String name,
            boolean enabled,
            Optional<Integer> maxQueues,
            Optional<Long> maxMessages,
            Instant created) {
        this(accountId, name, enabled, maxQueues, maxMessages, created, Optional.empty());
    }

    /** Whether the value is an account id, 12 digits (the length first: open mode asks for every request's key id). */
    public static boolean isAccountId(String value) {
        return value != null
                && value.length() == ACCOUNT_ID_LENGTH
                && ACCOUNT_ID.matcher(value).matches();
    }

    public Tenant withEnabled(boolean value) {
        return new Tenant(accountId, name, value, maxQueues, maxMessages, created, quota);
    }

    public Tenant withQuota(Optional<Quota> value) {
        return new Tenant(accountId, name, enabled, maxQueues, maxMessages, created, value);
    }

    public StoredTenant toStored() {
        return new StoredTenant(
                accountId,
                name,
                enabled,
                maxQueues.orElse(null),
                maxMessages.orElse(null),
                created.toEpochMilli(),
                quota.map(Tenant::toStored).orElse(null));
    }

    public static Tenant of(StoredTenant stored) {
        return new Tenant(
                stored.accountId(),
                stored.name(),
                stored.enabled(),
                Optional.ofNullable(stored.maxQueues()),
                Optional.ofNullable(stored.maxMessages()),
                Instant.ofEpochMilli(stored.createdMillis()),
                Optional.ofNullable(stored.quota()).map(Tenant::of));
    }

    private static StoredQuota toStored(Quota quota) {
        Map<String, StoredRate> queues = new LinkedHashMap<>();
        quota.queues().forEach((name, rate) -> queues.put(name, toStored(rate)));
        return new StoredQuota(
                quota.requests().map(Tenant::toStored).orElse(null),
                quota.bytes().map(Tenant::toStored).orElse(null),
                queues);
    }

    private static StoredRate toStored(Rate rate) {
        return new StoredRate(rate.perSecond(), rate.burst());
    }

    private static Quota of(StoredQuota stored) {
        Map<String, Rate> queues = new LinkedHashMap<>();
        stored.queues().forEach((name, rate) -> queues.put(name, of(rate)));
        return new Quota(
                Optional.ofNullable(stored.requests()).map(Tenant::of),
                Optional.ofNullable(stored.bytes()).map(Tenant::of),
                queues);
    }

    private static Rate of(StoredRate stored) {
        return new Rate(stored.perSecond(), stored.burst());
    }
}
