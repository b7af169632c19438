package dev.sluice.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts requests refused by authentication, by AWS error code: {@code sluice_auth_failures_total{code="..."}} at
 * {@code /q/metrics}, and the same counts at the admin API's {@code /admin/metrics}.
 */
@ApplicationScoped
public class AuthFailures {
    private final MeterRegistry registry;
    private final Map<String, Counter> byCode = new ConcurrentHashMap<>();

    AuthFailures(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String code) {
        byCode.computeIfAbsent(
                        code,
                        c -> Counter.builder("sluice.auth.failures")
                                .description("SQS requests refused by authentication, by AWS error code")
                                .tag("code", c)
                                .register(registry))
                .increment();
    }

    public long total() {
        return byCode.values().stream()
                .mapToLong(counter -> (long) counter.count())
                .sum();
    }

    public Map<String, Long> byCode() {
        Map<String, Long> counts = new TreeMap<>();
        byCode.forEach((code, counter) -> counts.put(code, (long) counter.count()));
        return counts;
    }
}
