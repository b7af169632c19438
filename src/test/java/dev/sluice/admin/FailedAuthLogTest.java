package dev.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Failed authentications are logged at most once per interval, on a fake nanosecond clock. */
class FailedAuthLogTest {
    private final AtomicLong nanos = new AtomicLong();
    private final FailedAuthLog log = new FailedAuthLog(nanos::get);

    @Test
    void oneLineAtOnceThenAtMostOnePerInterval() {
        assertThat(log.failed("InvalidAdminToken", "10.0.0.1")).isTrue();
        for (int i = 0; i < 1000; i++) {
            assertThat(log.failed("InvalidAdminToken", "10.0.0.1")).isFalse();
        }
        nanos.addAndGet(FailedAuthLog.INTERVAL.toNanos());
        assertThat(log.failed("InvalidAdminToken", "10.0.0.2")).isTrue();
        assertThat(log.failed("InvalidAdminToken", "10.0.0.2")).isFalse();
    }
}
