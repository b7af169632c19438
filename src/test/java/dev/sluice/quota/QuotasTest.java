package dev.sluice.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The registry: which quota an account gets, admission and charging, queue rates, SQS's FIFO limits, live changes. */
class QuotasTest {
    private static final long SECOND = 1_000_000_000L;
    private static final String A = "111111111111";
    private static final String B = "222222222222";

    private final Map<String, Quota> own = new HashMap<>();
    private final Map<String, String> fifoModes = new HashMap<>();

    private Quotas quotas(Quota defaults, boolean fifo) {
        return new Quotas(
                defaults,
                fifo,
                account -> Optional.ofNullable(own.get(account)),
                (owner, region, name) -> fifoModes.get(owner + "/" + name));
    }

    private static Quota requests(long perSecond, long burst) {
        return new Quota(Optional.of(new Rate(perSecond, burst)), Optional.empty(), Map.of());
    }

    @Test
    void withoutAnyQuotaNothingIsChecked() {
        Quotas quotas = quotas(Quota.NONE, false);
        assertThat(quotas.account(A, 0)).isNull();
        assertThat(quotas.checksQueues()).isFalse();
    }

    @Test
    void aTenantsOwnQuotaReplacesTheDefaultAndEachAccountHasItsOwnBuckets() {
        own.put(A, requests(1, 2));
        Quotas quotas = quotas(requests(100, 100), false);
        quotas.changed(A);
        AccountBuckets a = quotas.account(A, 0);
        AccountBuckets b = quotas.account(B, 0);
        for (int i = 0; i < 2; i++) {
            assertThat(a.admits(0, 0)).isNull();
            a.charge(0, 0);
        }
        Throttle throttle = a.admits(0, 0);
        assertThat(throttle.limit()).isEqualTo(Limit.REQUESTS);
        assertThat(throttle.message()).contains(A).contains("1 requests per second (burst 2)");
        assertThat(b.admits(0, 0)).as("B's default bucket is its own").isNull();
        assertThat(quotas.usage(A, 0).source()).isEqualTo("tenant");
        assertThat(quotas.usage(B, 0).source()).isEqualTo("default");
        assertThat(quotas.usage(A, 0).throttled()).containsEntry("requests", 1L);
        assertThat(quotas.usage(A, 0).admittedRequests()).isEqualTo(2);
    }

    @Test
    void bytesCountRequestsAndRepliesAndAReplyCanOverdraw() {
        own.put(A, new Quota(Optional.empty(), Optional.of(new Rate(1000, 1000)), Map.of()));
        Quotas quotas = quotas(Quota.NONE, false);
        quotas.changed(A);
        AccountBuckets a = quotas.account(A, 0);
        assertThat(a.admits(600, 0)).isNull();
        a.charge(600, 0);
        assertThat(a.admits(600, 0).limit()).isEqualTo(Limit.BYTES);
        a.chargeReply(2400, 0);
        assertThat(quotas.usage(A, 0).bytes().orElseThrow().available()).isEqualTo(-2000);
        assertThat(a.admits(1, 2 * SECOND)).isNotNull();
        assertThat(a.admits(1, 3 * SECOND)).isNull();
        assertThat(quotas.usage(A, 0).chargedBytes()).isEqualTo(3000);
    }

    @Test
    void aChangedQuotaAppliesToTheNextRequest() {
        own.put(A, requests(1, 1));
        Quotas quotas = quotas(Quota.NONE, false);
        quotas.changed(A);
        AccountBuckets a = quotas.account(A, 0);
        a.charge(0, 0);
        assertThat(a.admits(0, 0)).isNotNull();
        own.put(A, requests(1000, 1000));
        quotas.changed(A);
        assertThat(quotas.account(A, 0).admits(0, 0)).isNull();
        own.remove(A);
        quotas.changed(A);
        assertThat(quotas.account(A, 0)).isNull();
    }

    @Test
    void aQueueRateLimitsEveryCallerOfThatQueue() {
        own.put(A, new Quota(Optional.empty(), Optional.empty(), Map.of("orders", new Rate(2, 2))));
        Quotas quotas = quotas(Quota.NONE, false);
        quotas.changed(A);
        assertThat(quotas.checksQueues()).isTrue();
        assertThat(quotas.checkQueue(A, "us-east-1", "orders", "SendMessage", null, 0))
                .isNull();
        assertThat(quotas.checkQueue(A, "us-east-1", "orders", "ReceiveMessage", null, 0))
                .isNull();
        Throttle throttle = quotas.checkQueue(A, "us-east-1", "orders", "SendMessage", null, 0);
        assertThat(throttle.limit()).isEqualTo(Limit.QUEUE);
        assertThat(throttle.message()).contains("orders").contains("2 requests per second");
        assertThat(quotas.checkQueue(A, "us-east-1", "other", "SendMessage", null, 0))
                .isNull();
        assertThat(quotas.checkQueue(B, "us-east-1", "orders", "SendMessage", null, 0))
                .isNull();
        // The rate names the queue by name: the queue of that name in another region has buckets of its own.
        assertThat(quotas.checkQueue(A, "eu-west-1", "orders", "SendMessage", null, 0))
                .isNull();
        assertThat(quotas.checkQueue(A, "us-east-1", "orders", "SendMessage", null, SECOND / 2))
                .isNull();
    }

    @Test
    void fifoQueuesWithoutHighThroughputTake300CallsPerSecondPerAction() {
        fifoModes.put(A + "/jobs.fifo", "perQueue");
        fifoModes.put(A + "/fast.fifo", "perMessageGroupId");
        Quotas quotas = quotas(Quota.NONE, true);
        for (int i = 0; i < 300; i++) {
            assertThat(quotas.checkQueue(
                            A, "us-east-1", "jobs.fifo", i % 2 == 0 ? "SendMessage" : "SendMessageBatch", null, 0))
                    .isNull();
        }
        Throttle throttle = quotas.checkQueue(A, "us-east-1", "jobs.fifo", "SendMessage", null, 0);
        assertThat(throttle.limit()).isEqualTo(Limit.FIFO);
        assertThat(throttle.message()).contains("300 SendMessage calls per second");
        assertThat(quotas.checkQueue(A, "us-east-1", "jobs.fifo", "ReceiveMessage", null, 0))
                .as("each action has its own limit")
                .isNull();
        assertThat(quotas.checkQueue(A, "us-east-1", "jobs.fifo", "GetQueueAttributes", null, 0))
                .isNull();
        for (int i = 0; i < 1000; i++) {
            assertThat(quotas.checkQueue(A, "us-east-1", "fast.fifo", "SendMessage", null, 0))
                    .isNull();
        }
        assertThat(quotas.checkQueue(A, "us-east-1", "missing.fifo", "SendMessage", null, 0))
                .isNull();
        assertThat(quotas.checkQueue(A, "us-east-1", "jobs.fifo", "SendMessage", null, SECOND / 300))
                .isNull();
    }

    @Test
    void fifoLimitsAreOffByDefault() {
        fifoModes.put(A + "/jobs.fifo", "perQueue");
        Quotas quotas = quotas(Quota.NONE, false);
        assertThat(quotas.checksQueues()).isFalse();
        for (int i = 0; i < 1000; i++) {
            assertThat(quotas.checkQueue(A, "us-east-1", "jobs.fifo", "SendMessage", null, 0))
                    .isNull();
        }
    }

    @Test
    void idleBucketsOfAccountsWithoutAQuotaOfTheirOwnAreForgotten() {
        Quotas quotas = quotas(requests(10, 10), false);
        AccountBuckets first = quotas.account("100000000000", 0);
        for (int i = 1; i <= 10_000; i++) {
            quotas.account(String.valueOf(100_000_000_000L + i), 0);
        }
        assertThat(quotas.account("100000000000", SECOND)).isNotSameAs(first);
    }
}
