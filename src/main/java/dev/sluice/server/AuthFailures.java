package dev.sluice.server;

import dev.sluice.api.AwsErrors;
import dev.sluice.auth.AuthError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts requests refused by authentication, by AWS error code: {@code sluice_auth_failures_total{code="..."}} at
 * {@code /q/metrics}, and the same counts at the admin API's {@code /admin/metrics}. Every code of the SQS surface is
 * there from the start, at zero, and so are the admin API's once it {@link #declare declares} them, so an alert on a
 * rate sees the first failure too.
 */
@ApplicationScoped
public class AuthFailures {
    private final MeterRegistry registry;
    private final Map<String, Counter> byCode = new ConcurrentHashMap<>();

    AuthFailures(MeterRegistry registry) {
        this.registry = registry;
        declare(Arrays.stream(AuthError.values())
                .map(error -> AwsErrors.of(error).queryCode())
                .toList());
    }

    /** Makes the codes' counters exist, at zero until their first failure. */
    public void declare(Collection<String> codes) {
        codes.forEach(this::counter);
    }

    public void record(String code) {
        counter(code).increment();
    }

    private Counter counter(String code) {
        return byCode.computeIfAbsent(
                code,
                c -> Counter.builder("sluice.auth.failures")
                        .description("Requests refused by authentication (SQS and admin API), by error code")
                        .tag("code", c)
                        .register(registry));
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
