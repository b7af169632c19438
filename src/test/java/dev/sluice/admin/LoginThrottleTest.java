package dev.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-address allowance of failed authentications, on a fake nanosecond clock. */
class LoginThrottleTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final LoginThrottle throttle = new LoginThrottle(nanos::get);

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void theFirstFailuresAreFreeThenEachWaitsLonger() {
        for (int i = 1; i <= LoginThrottle.FREE; i++) {
            assertThat(throttle.failed("10.0.0.1")).as("failure " + i).isZero();
        }
        assertThat(throttle.failed("10.0.0.1")).isEqualTo(LoginThrottle.PAUSE_STEP);
        assertThat(throttle.failed("10.0.0.1")).isEqualTo(LoginThrottle.PAUSE_STEP.multipliedBy(2));
        assertThat(throttle.refusedFor("10.0.0.1")).isZero();
    }

    @Test
    void aUsedUpAllowanceRefusesTheAddressUntilItRefills() {
        for (int i = 0; i < LoginThrottle.BURST; i++) {
            throttle.failed("10.0.0.2");
        }
        assertThat(throttle.refusedFor("10.0.0.2")).isEqualTo(LoginThrottle.REFILL);
        assertThat(throttle.refusedFor("10.0.0.3")).as("another address").isZero();

        advance(LoginThrottle.REFILL.minusMillis(1));
        assertThat(throttle.refusedFor("10.0.0.2")).isPositive();
        advance(Duration.ofMillis(1));
        assertThat(throttle.refusedFor("10.0.0.2"))
                .as("one more try after one refill")
                .isZero();
        throttle.failed("10.0.0.2");
        assertThat(throttle.refusedFor("10.0.0.2")).isEqualTo(LoginThrottle.REFILL);

        advance(LoginThrottle.REFILL.multipliedBy(LoginThrottle.BURST));
        assertThat(throttle.failed("10.0.0.2")).as("fully refilled: free again").isZero();
    }

    @Test
    void anIpv6ClientCountsPerSlash64() {
        for (int i = 0; i < LoginThrottle.BURST; i++) {
            throttle.failed("2001:db8:1:2::" + Integer.toHexString(i + 1));
        }
        assertThat(throttle.refusedFor("2001:db8:1:2:ffff::1")).isPositive();
        assertThat(throttle.refusedFor("2001:db8:1:3::1")).isZero();
        assertThat(LoginThrottle.key("not:an:address")).isEqualTo("not:an:address");
    }

    @Test
    void itRemembersABoundedNumberOfAddresses() {
        for (int i = 0; i < LoginThrottle.MAX_ADDRESSES + 100; i++) {
            throttle.failed("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
        }
        assertThat(throttle.remembered()).isLessThanOrEqualTo(LoginThrottle.MAX_ADDRESSES);
    }
}
