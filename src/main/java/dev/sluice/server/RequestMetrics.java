package dev.sluice.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * SQS requests by action, protocol and outcome: {@code sluice_requests_seconds{action,protocol,outcome}} at {@code
 * /q/metrics}, a histogram whose {@code _count} counts the requests. {@code outcome} is {@code Success} or the AWS
 * error code (the query-protocol code, as {@code x-amzn-query-error} carries it). The labels are bounded: an action
 * that is no SQS action is {@code Unknown} (the caller maps it), the protocols are two and the codes a closed list.
 * The timers are looked up by action once per request, with no allocation for a successful one.
 */
@ApplicationScoped
public class RequestMetrics {
    static final String SUCCESS = "Success";
    /** Up to the longest long poll (20 s) and a little beyond. */
    private static final Duration[] BUCKETS = LatencyBuckets.upTo(Duration.ofSeconds(21));

    private final MeterRegistry registry;
    private final Map<String, ActionTimers> byAction = new ConcurrentHashMap<>();

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * One request answered after {@code nanos}: {@code json} for AWS JSON 1.0, else the query protocol; {@code
     * errorCode} null for a success.
     */
    public void record(String action, boolean json, String errorCode, long nanos) {
        byAction.computeIfAbsent(action, ActionTimers::new)
                .timer(json, errorCode)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One action's timers: the successful ones made at once, the errors' on first use. */
    private final class ActionTimers {
        private final String action;
        private final Timer jsonSuccess;
        private final Timer querySuccess;
        private final Map<String, Timer> jsonErrors = new ConcurrentHashMap<>();
        private final Map<String, Timer> queryErrors = new ConcurrentHashMap<>();

        ActionTimers(String action) {
            this.action = action;
            this.jsonSuccess = timer("json", SUCCESS);
            this.querySuccess = timer("query", SUCCESS);
        }

        Timer timer(boolean json, String errorCode) {
            if (errorCode == null) {
                return json ? jsonSuccess : querySuccess;
            }
            return json
                    ? jsonErrors.computeIfAbsent(errorCode, code -> timer("json", code))
                    : queryErrors.computeIfAbsent(errorCode, code -> timer("query", code));
        }

        private Timer timer(String protocol, String outcome) {
            return Timer.builder("sluice.requests")
                    .description("SQS requests by action, protocol (json, query) and outcome (Success or the AWS error"
                            + " code), from their headers to their reply")
                    .tag("action", action)
                    .tag("protocol", protocol)
                    .tag("outcome", outcome)
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry);
        }
    }
}
