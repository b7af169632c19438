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

/** Delivery delays and the approximate counts GetQueueAttributes reports. */
@QueuesContract
class DelayTest extends QueuesCase {

    DelayTest(Backend backend) {
        super(backend);
    }

    @Test
    void queueDelayAndPerMessageDelay() {
        QueueKey queue = sluice.createQueue("delayed", Map.of("DelaySeconds", "10"));

        sluice.send(queue, "queue delay");
        sluice.send(queue, message("own delay", Duration.ofSeconds(5)));
        sluice.send(queue, message("no delay", Duration.ZERO));

        assertThat(sluice.counts(queue)).as("visible, in flight, delayed").containsExactly(1, 0, 2);
        assertThat(sluice.receive(queue, 10)).extracting(r -> r.body()).containsExactly("no delay");

        sluice.clock.advanceSeconds(5);
        assertThat(sluice.counts(queue)).containsExactly(1, 1, 1);
        assertThat(sluice.receive(queue, 10)).extracting(r -> r.body()).containsExactly("own delay");

        sluice.clock.advance(Duration.ofSeconds(5).minusMillis(1));
        assertThat(sluice.receive(queue, 10)).isEmpty();
        assertThat(sluice.counts(queue)).containsExactly(0, 2, 1);
        sluice.clock.advance(Duration.ofMillis(1));
        assertThat(sluice.counts(queue)).containsExactly(1, 2, 0);
        assertThat(sluice.receive(queue, 10)).extracting(r -> r.body()).containsExactly("queue delay");
    }

    @Test
    void queueDelayChangeAppliesToLaterSendsOnly() {
        QueueKey queue = sluice.createQueue("delayed");
        sluice.send(queue, "before");
        join(sluice.queues.setAttributes(queue, Map.of("DelaySeconds", "60")));
        sluice.send(queue, "after");

        assertThat(sluice.counts(queue)).containsExactly(1, 0, 1);
    }

    @Test
    void perMessageDelayRange() {
        QueueKey queue = sluice.createQueue("delayed");

        sluice.send(queue, message("max", Duration.ofSeconds(900)));
        assertThat(errorOf(() -> sluice.queues.send(queue, message("too long", Duration.ofSeconds(901)))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> sluice.queues.send(queue, message("negative", Duration.ofSeconds(-1)))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);

        assertThat(sluice.counts(queue)).containsExactly(0, 0, 1);
        sluice.clock.advanceSeconds(900);
        assertThat(sluice.counts(queue)).containsExactly(1, 0, 0);
    }

    @Test
    void approximateCountsVisibleInFlightDelayed() {
        QueueKey queue = sluice.createQueue("counted");
        for (int i = 0; i < 5; i++) {
            sluice.send(queue, "visible " + i);
        }
        sluice.send(queue, message("delayed", Duration.ofSeconds(60)));
        assertThat(sluice.counts(queue)).containsExactly(5, 0, 1);

        sluice.receive(queue, 3);
        assertThat(sluice.counts(queue)).containsExactly(2, 3, 1);

        join(sluice.queues.deleteMessage(queue, sluice.receiveOne(queue).receiptHandle()));
        assertThat(sluice.counts(queue)).containsExactly(1, 3, 1);

        sluice.clock.advanceSeconds(30);
        assertThat(sluice.counts(queue)).as("the in-flight ones timed out").containsExactly(4, 0, 1);

        sluice.clock.advanceSeconds(30);
        assertThat(sluice.counts(queue)).containsExactly(5, 0, 0);
    }

    @Test
    void messageInFlightAgainAfterReappearingCountsAsInFlightNotDelayed() {
        QueueKey queue = sluice.createQueue("counted", Map.of("DelaySeconds", "5"));
        sluice.send(queue, "hello");
        sluice.clock.advanceSeconds(5);
        sluice.receiveOne(queue);

        assertThat(sluice.counts(queue)).containsExactly(0, 1, 0);
    }
}
