package dev.sluice.store;

/** A tenant as kept on disk; a null limit is no limit, a null quota none of its own. */
public record StoredTenant(
        String accountId,
        String name,
        boolean enabled,
        Integer maxQueues,
        Long maxMessages,
        long createdMillis,
        StoredQuota quota) {

    /** A tenant without a quota of its own (as every tenant was before quotas). */
    public StoredTenant(
            String accountId, String name, boolean enabled, Integer maxQueues, Long maxMessages, long createdMillis) {
        this(accountId, name, enabled, maxQueues, maxMessages, createdMillis, null);
    }
}
