package dev.sluice.engine;

import static dev.sluice.queues.contract.QueuesFixture.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.engine.testkit.ForwardingStore;
import dev.sluice.engine.testkit.StoreRig;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.contract.Backends;
import dev.sluice.queues.contract.QueuesFixture;
import dev.sluice.store.Store;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A receive whose answer never reaches the consumer (its reply could not be encoded, or a body could not be read back)
 * gives its messages back: visible at once, the lost receive not counted, so a redrive policy of maxReceiveCount 1
 * does not dead-letter messages nobody got.
 */
class LostReceiveTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final StoreRig rig = StoreRig.journal();
    private final UnreadableBodies store = new UnreadableBodies(rig.store());
    private final QueuesFixture sluice = new QueuesFixture(Backends.embedded(store));
    private final QueueKey dlq = sluice.createQueue("dlq");
    private final QueueKey queue = sluice.createQueue("orders", QueuesFixture.redrive(dlq, 1));

    @AfterEach
    void closeStore() {
        rig.close();
    }

    private List<String> sendTen() {
        return IntStream.range(0, 10)
                .mapToObj(i -> sluice.send(queue, "message " + i))
                .toList();
    }

    @Test
    void aLostReceiveIsNotCountedAndItsMessagesAreNotDeadLettered() {
        List<String> sent = sendTen();
        List<ReceivedMessage> lost = sluice.receive(queue, 10, TIMEOUT);
        assertThat(lost).hasSize(10);

        join(sluice.queues.unreceive(
                queue, lost.stream().map(ReceivedMessage::receiptHandle).toList()));

        assertThat(sluice.counts(queue)).as("visible, in flight, delayed").containsExactly(10, 0, 0);
        List<ReceivedMessage> again = sluice.receive(queue, 10, TIMEOUT);
        assertThat(again).extracting(received -> received.messageId()).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(again)
                .allSatisfy(received -> assertThat(received.receiveCount()).isEqualTo(1));
        assertThat(sluice.counts(dlq)).containsExactly(0, 0, 0);
    }

    @Test
    void aHandleOfAMessageDeletedOrReceivedSinceIsLeftAlone() {
        QueueKey plain = sluice.createQueue("plain");
        sluice.send(plain, "deleted");
        sluice.send(plain, "received again");
        List<ReceivedMessage> first = sluice.receive(plain, 10, Duration.ZERO);
        ReceivedMessage deleted = first.stream()
                .filter(m -> m.body().equals("deleted"))
                .findFirst()
                .orElseThrow();
        join(sluice.queues.deleteMessage(plain, deleted.receiptHandle()));
        List<ReceivedMessage> second = sluice.receive(plain, 10, TIMEOUT);
        assertThat(second).hasSize(1);

        join(sluice.queues.unreceive(
                plain, first.stream().map(ReceivedMessage::receiptHandle).toList()));

        assertThat(sluice.counts(plain))
                .as("the second receive still holds its message")
                .containsExactly(0, 1, 0);
    }

    @Test
    void aBodyTheStoreCannotGiveBackFailsTheReceiveWithoutCountingIt() {
        List<String> sent = sendTen();
        store.unreadable.add(sent.get(4));

        assertThatThrownBy(() -> sluice.receive(queue, 10, TIMEOUT)).hasMessageContaining(sent.get(4));

        assertThat(sluice.counts(queue)).containsExactly(10, 0, 0);
        store.unreadable.clear();
        assertThat(sluice.receive(queue, 10, TIMEOUT))
                .allSatisfy(received -> assertThat(received.receiveCount()).isEqualTo(1))
                .hasSize(10);
        assertThat(sluice.counts(dlq)).containsExactly(0, 0, 0);
    }

    /** A store whose bodies of the given messages cannot be read back, as after damage to its files. */
    private static final class UnreadableBodies extends ForwardingStore {
        final Set<String> unreadable = new HashSet<>();

        UnreadableBodies(Store store) {
            super(store);
        }

        @Override
        public String readBody(String queueId, String messageId) {
            return unreadable.contains(messageId) ? null : store.readBody(queueId, messageId);
        }
    }
}
