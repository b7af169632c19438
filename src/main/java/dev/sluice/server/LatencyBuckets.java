package dev.sluice.server;

import java.time.Duration;
import java.util.Arrays;

/** The buckets of Sluice's latency histograms: one ladder, 0.25 ms to 21 s (the longest long poll and a little). */
final class LatencyBuckets {
    private static final Duration[] LADDER = {
        Duration.ofNanos(250_000),
        Duration.ofNanos(500_000),
        Duration.ofMillis(1),
        Duration.ofMillis(2),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(21)
    };

    private LatencyBuckets() {}

    /** The ladder's buckets up to {@code max}. */
    static Duration[] upTo(Duration max) {
        return Arrays.stream(LADDER)
                .filter(bucket -> bucket.compareTo(max) <= 0)
                .toArray(Duration[]::new);
    }
}
