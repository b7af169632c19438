package dev.sluice.store;

import java.util.Map;

/** A tenant's quotas as kept on disk: requests and bytes per second (null: no limit), and queues' request rates. */
public record StoredQuota(StoredRate requests, StoredRate bytes, Map<String, StoredRate> queues) {}
