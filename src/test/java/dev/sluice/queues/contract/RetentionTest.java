package dev.sluice.queues.contract;

import static dev.sluice.queues.contract.QueuesFixture.errorOf;
import static dev.sluice.queues.contract.QueuesFixture.join;
import static dev.sluice.queues.contract.QueuesFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueKey;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Messages leave a queue by retention or purge as well as by delete. */
@QueuesContract
class RetentionTest extends QueuesCase {

    RetentionTest(Backend backend) {
        super(backend);
    }

    @Test
    void retentionExpiresMessages() {
        QueueKey queue = sluice.createQueue("short-lived", Map.of("MessageRetentionPeriod", "60"));
        sluice.send(queue, "in flight");
        sluice.send(queue, "visible");
        sluice.send(queue, message("delayed", Duration.ofSeconds(30)));
        sluice.receive(queue, 1, Duration.ofHours(1));
        sluice.clock.advanceSeconds(10);
        sluice.send(queue, "younger");
        assertThat(sluice.counts(queue)).containsExactly(2, 1, 1);

        sluice.clock.advance(Duration.ofSeconds(50).minusMillis(1));
        assertThat(sluice.counts(queue)).containsExactly(3, 1, 0);

        sluice.clock.advance(Duration.ofMillis(1));
        assertThat(sluice.counts(queue))
                .as("the three sent at 0 s are gone, in flight or not")
                .containsExactly(1, 0, 0);
        assertThat(sluice.receive(queue, 10)).extracting(r -> r.body()).containsExactly("younger");

        sluice.clock.advanceSeconds(10);
        assertThat(sluice.counts(queue)).containsExactly(0, 0, 0);
    }

    @Test
    void expiredMessagesAreNotReceived() {
        QueueKey queue = sluice.createQueue("short-lived", Map.of("MessageRetentionPeriod", "60"));
        sluice.send(queue, "old");

        sluice.clock.advanceSeconds(60);

        assertThat(sluice.receive(queue, 10)).isEmpty();
    }

    @Test
    void expiredInFlightMessageCannotBeDeletedOrChanged() {
        QueueKey queue = sluice.createQueue("short-lived", Map.of("MessageRetentionPeriod", "60"));
        sluice.send(queue, "old");
        String handle = sluice.receive(queue, 1, Duration.ofHours(1)).getFirst().receiptHandle();
        sluice.clock.advanceSeconds(60);
        assertThat(sluice.counts(queue))
                .as("expiry runs when the queue is next read")
                .containsExactly(0, 0, 0);

        join(sluice.queues.deleteMessage(queue, handle));
        assertThat(errorOf(() -> sluice.queues.changeVisibility(queue, handle, Duration.ZERO)))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void loweringRetentionExpiresOlderMessages() {
        QueueKey queue = sluice.createQueue("shrinking");
        sluice.send(queue, "old");
        sluice.clock.advanceSeconds(120);
        sluice.send(queue, "new");

        join(sluice.queues.setAttributes(queue, Map.of("MessageRetentionPeriod", "60")));

        assertThat(sluice.receive(queue, 10)).extracting(r -> r.body()).containsExactly("new");
    }

    @Test
    void purgeRemovesAll() {
        QueueKey queue = sluice.createQueue("purged");
        sluice.send(queue, "first");
        sluice.send(queue, "second");
        sluice.send(queue, message("delayed", Duration.ofSeconds(60)));
        String handle = sluice.receive(queue, 1).getFirst().receiptHandle();
        sluice.receive(queue, 1);
        sluice.send(queue, "third");
        assertThat(sluice.counts(queue)).containsExactly(1, 2, 1);

        join(sluice.queues.purgeQueue(queue));

        assertThat(sluice.counts(queue)).containsExactly(0, 0, 0);
        sluice.clock.advanceSeconds(60);
        assertThat(sluice.receive(queue, 10)).isEmpty();
        assertThat(errorOf(() -> sluice.queues.changeVisibility(queue, handle, Duration.ZERO)))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        sluice.send(queue, "after the purge");
        assertThat(sluice.receive(queue, 10)).extracting(r -> r.body()).containsExactly("after the purge");
    }

    @Test
    void purgeOfMissingQueueIsQueueNotFound() {
        assertThat(errorOf(() -> sluice.queues.purgeQueue(QueuesFixture.key("missing"))))
                .isEqualTo(QueueError.QUEUE_NOT_FOUND);
    }

    @Test
    void nonStrictModeAllowsPurgesInQuickSuccession() {
        QueueKey queue = sluice.createQueue("purged");
        join(sluice.queues.purgeQueue(queue));
        sluice.send(queue, "hello");

        join(sluice.queues.purgeQueue(queue));

        assertThat(sluice.counts(queue)).containsExactly(0, 0, 0);
    }

    @Test
    void strictModeAllowsOnePurgePerSixtySeconds() {
        QueuesFixture strict = strict();
        QueueKey queue = strict.createQueue("purged");
        strict.send(queue, "first");

        join(strict.queues.purgeQueue(queue));
        assertThat(strict.counts(queue)).containsExactly(0, 0, 0);

        strict.send(queue, "second");
        strict.clock.advance(Duration.ofSeconds(60).minusMillis(1));
        assertThat(errorOf(() -> strict.queues.purgeQueue(queue))).isEqualTo(QueueError.PURGE_IN_PROGRESS);
        assertThat(strict.counts(queue)).as("a refused purge removes nothing").containsExactly(1, 0, 0);

        strict.clock.advance(Duration.ofMillis(1));
        join(strict.queues.purgeQueue(queue));
        assertThat(strict.counts(queue)).containsExactly(0, 0, 0);
    }

    @Test
    void strictPurgeIntervalIsPerQueue() {
        QueuesFixture strict = strict();
        QueueKey first = strict.createQueue("first");
        QueueKey second = strict.createQueue("second");

        join(strict.queues.purgeQueue(first));
        join(strict.queues.purgeQueue(second));

        assertThat(errorOf(() -> strict.queues.purgeQueue(first))).isEqualTo(QueueError.PURGE_IN_PROGRESS);
    }
}
