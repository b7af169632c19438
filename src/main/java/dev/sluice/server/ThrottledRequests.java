package dev.sluice.server;

import dev.sluice.quota.Limit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts requests refused with RequestThrottled: {@code sluice_throttled_requests_total{account,action,limit}} at
 * {@code /q/metrics}. The labels are bounded: an action that is no SQS action is {@code Unknown}, and past
 * {@link #MAX_SERIES} series further accounts are counted as {@code other} (the open auth mode lets any 12-digit
 * account id in).
 */
@ApplicationScoped
public class ThrottledRequests {
    static final int MAX_SERIES = 2_000;
    static final String UNKNOWN_ACTION = "Unknown";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    ThrottledRequests(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String accountId, String action, Limit limit) {
        String account = accountId;
        String key = account + ' ' + action + ' ' + limit.label();
        Counter counter = counters.get(key);
        if (counter == null) {
            if (counters.size() >= MAX_SERIES) {
                account = "other";
                key = account + ' ' + action + ' ' + limit.label();
            }
            String label = account;
            counter = counters.computeIfAbsent(
                    key,
                    k -> Counter.builder("sluice.throttled.requests")
                            .description("SQS requests refused with RequestThrottled, by account, action and limit")
                            .tag("account", label)
                            .tag("action", action)
                            .tag("limit", limit.label())
                            .register(registry));
        }
        counter.increment();
    }
}
