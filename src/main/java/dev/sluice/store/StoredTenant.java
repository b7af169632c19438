package dev.sluice.store;

/** A tenant as kept on disk; a null limit is no limit. */
public record StoredTenant(
        String accountId, String name, boolean enabled, Integer maxQueues, Long maxMessages, long createdMillis) {}
