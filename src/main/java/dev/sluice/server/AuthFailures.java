package dev.sluice.server;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts requests refused by authentication, by AWS error code; shown by the admin API at /admin/metrics. */
@ApplicationScoped
public class AuthFailures {
    private final Map<String, LongAdder> byCode = new ConcurrentHashMap<>();

    void record(String code) {
        byCode.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    public long total() {
        return byCode.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public Map<String, Long> byCode() {
        Map<String, Long> counts = new TreeMap<>();
        byCode.forEach((code, count) -> counts.put(code, count.sum()));
        return counts;
    }
}
