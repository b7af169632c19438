package dev.sluice.quota;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bucket on a time moved by hand (nanoseconds, as the server passes System.nanoTime()). */
class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long START = -5 * SECOND; // nanoTime may be negative

    @Test
    void aFullBucketGivesItsBurstThenOneTokenPerInterval() {
        TokenBucket bucket = new TokenBucket(new Rate(10, 5), START);
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.tryTake(1, START)).as("token %d of the burst", i).isTrue();
        }
        assertThat(bucket.tryTake(1, START)).isFalse();
        assertThat(bucket.tryTake(1, START + SECOND / 10 - 1)).isFalse();
        assertThat(bucket.tryTake(1, START + SECOND / 10)).isTrue();
        assertThat(bucket.available(START + SECOND / 10)).isZero();
        assertThat(bucket.available(START + 10 * SECOND)).isEqualTo(5);
    }

    @Test
    void overTimeItPassesExactlyItsRate() {
        TokenBucket bucket = new TokenBucket(new Rate(100, 10), START);
        int taken = 0;
        for (long now = START; now < START + 10 * SECOND; now += SECOND / 1000) {
            for (int attempt = 0; attempt < 5; attempt++) {
                if (bucket.tryTake(1, now)) {
                    taken++;
                }
            }
        }
        assertThat(taken).isBetween(1000, 1010); // 10 s at 100/s, plus the burst
    }

    @Test
    void hasLooksWithoutTaking() {
        TokenBucket bucket = new TokenBucket(new Rate(1, 1), START);
        assertThat(bucket.has(1, START)).isTrue();
        assertThat(bucket.has(1, START)).isTrue();
        bucket.take(1, START);
        assertThat(bucket.has(1, START)).isFalse();
        assertThat(bucket.has(1, START + SECOND)).isTrue();
    }

    @Test
    void takeOverdrawsAndTheDebtIsWaitedOut() {
        TokenBucket bucket = new TokenBucket(new Rate(1000, 1000), START);
        bucket.take(3000, START); // a reply three times the burst
        assertThat(bucket.available(START)).isEqualTo(-2000);
        assertThat(bucket.has(1, START + SECOND)).isFalse();
        assertThat(bucket.has(1, START + 2 * SECOND)).isFalse();
        assertThat(bucket.has(1, START + 2 * SECOND + SECOND / 1000)).isTrue();
    }

    @Test
    void aRequestLargerThanTheBurstPassesAFullBucket() {
        TokenBucket bucket = new TokenBucket(new Rate(100, 100), START);
        assertThat(bucket.has(10_000, START)).isTrue();
        assertThat(bucket.tryTake(10_000, START)).isTrue();
        assertThat(bucket.has(1, START + 99 * SECOND)).isFalse();
        assertThat(bucket.has(1, START + 99 * SECOND + SECOND / 100)).isTrue();
    }

    @Test
    void giveBackReturnsWhatWasTaken() {
        TokenBucket bucket = new TokenBucket(new Rate(1, 1), START);
        assertThat(bucket.tryTake(1, START)).isTrue();
        bucket.giveBack(1);
        assertThat(bucket.tryTake(1, START)).isTrue();
        assertThat(bucket.isFull(START)).isFalse();
        assertThat(bucket.isFull(START + SECOND)).isTrue();
    }

    @Test
    void hugeCountsDoNotOverflow() {
        TokenBucket bucket = new TokenBucket(new Rate(1, 1), START);
        bucket.take(Long.MAX_VALUE, START);
        assertThat(bucket.has(1, START + 365L * 24 * 3600 * SECOND)).isFalse();
        assertThat(bucket.available(START)).isNegative();
    }
}
