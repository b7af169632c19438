package dev.sluice.queues.contract;

import static dev.sluice.queues.contract.QueuesFixture.errorOf;
import static dev.sluice.queues.contract.QueuesFixture.join;
import static dev.sluice.queues.contract.QueuesFixture.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.queues.MessagePage;
import dev.sluice.queues.NewMessage;
import dev.sluice.queues.PeekRequest;
import dev.sluice.queues.PeekedMessage;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.SentMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Peek (the admin API's message browser): a page of a queue's messages as they stand, oldest first, that changes
 * nothing: no visibility, no receive count, no store write. On the journal, bodies the engine dropped are read back.
 */
@QueuesContract
class PeekTest extends QueuesCase {
    private final QueueKey queue;

    PeekTest(Backend backend) {
        super(backend);
        this.queue = sluice.createQueue("browsed");
    }

    private MessagePage peek(int max) {
        return join(sluice.queues.peek(queue, new PeekRequest(max, Optional.empty(), Optional.empty())));
    }

    @Test
    void peekShowsEachMessageAndWhereItStands() {
        String taken = sluice.send(queue, "taken");
        sluice.receive(queue, 1, Duration.ofSeconds(60));
        sluice.send(queue, QueuesFixture.message("waiting", Map.of("kind", string("example"))));
        sluice.send(queue, QueuesFixture.message("later", Duration.ofSeconds(90)));

        List<PeekedMessage> page = peek(10).messages();

        assertThat(page).extracting(PeekedMessage::body).containsExactly("taken", "waiting", "later");
        assertThat(page)
                .extracting(PeekedMessage::state)
                .containsExactly(
                        PeekedMessage.State.IN_FLIGHT, PeekedMessage.State.VISIBLE, PeekedMessage.State.DELAYED);
        PeekedMessage inFlight = page.getFirst();
        assertThat(inFlight.messageId()).isEqualTo(taken);
        assertThat(inFlight.receiveCount()).isEqualTo(1);
        assertThat(inFlight.firstReceived()).isEqualTo(sluice.clock.instant());
        assertThat(inFlight.visibleAt()).isEqualTo(sluice.clock.instant().plusSeconds(60));
        assertThat(page.get(1).messageAttributes().get("kind").stringValue()).isEqualTo("example");
        assertThat(page.get(1).firstReceived()).isNull();
        assertThat(page.get(2).visibleAt()).isEqualTo(sluice.clock.instant().plusSeconds(90));
    }

    @Test
    void peekChangesNoVisibilityAndNoReceiveCount() {
        sluice.send(queue, "looked at");
        for (int i = 0; i < 3; i++) {
            peek(10);
        }
        assertThat(sluice.counts(queue)).containsExactly(1, 0, 0);
        ReceivedMessage received = sluice.receiveOne(queue);
        assertThat(received.receiveCount()).isEqualTo(1);

        peek(10);
        assertThat(sluice.receive(queue, 1)).as("still in flight after a peek").isEmpty();
        assertThat(sluice.counts(queue)).containsExactly(0, 1, 0);
    }

    @Test
    void pagesFollowEachOtherWithoutGapsOrRepeats() {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            sent.add(sluice.send(queue, "m" + i));
            if (i % 7 == 0) {
                sluice.clock.advanceSeconds(1);
            }
        }
        List<String> peeked = new ArrayList<>();
        Optional<String> next = Optional.empty();
        int pages = 0;
        do {
            MessagePage page = join(sluice.queues.peek(queue, new PeekRequest(10, next, Optional.empty())));
            page.messages().forEach(message -> peeked.add(message.messageId()));
            next = Optional.ofNullable(page.nextToken());
            pages++;
        } while (next.isPresent());
        assertThat(pages).isEqualTo(3);
        assertThat(peeked).containsExactlyElementsOf(sent);
    }

    @Test
    void aStateFilterShowsOnlyThoseMessages() {
        sluice.send(queue, "taken");
        sluice.receive(queue, 1, Duration.ofSeconds(60));
        sluice.send(queue, "waiting");

        MessagePage inFlight = join(sluice.queues.peek(
                queue, new PeekRequest(10, Optional.empty(), Optional.of(PeekedMessage.State.IN_FLIGHT))));
        assertThat(inFlight.messages()).extracting(PeekedMessage::body).containsExactly("taken");

        sluice.clock.advanceSeconds(60);
        assertThat(peek(10).messages())
                .as("visible again once its timeout passed, though nothing received it since")
                .extracting(PeekedMessage::state)
                .containsOnly(PeekedMessage.State.VISIBLE);
    }

    @Test
    void messagesPastTheirRetentionAreLeftOut() {
        QueueKey brief = sluice.createQueue("brief", Map.of("MessageRetentionPeriod", "60"));
        sluice.send(brief, "old");
        sluice.clock.advanceSeconds(30);
        sluice.send(brief, "new");
        sluice.clock.advanceSeconds(30);

        MessagePage page = join(sluice.queues.peek(brief, new PeekRequest(10, Optional.empty(), Optional.empty())));
        assertThat(page.messages()).extracting(PeekedMessage::body).containsExactly("new");
    }

    @Test
    void aFifoMessageShowsItsGroupDeduplicationIdAndSequenceNumber() {
        QueueKey fifo =
                sluice.createQueue("browsed.fifo", Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true"));
        SentMessage sent = sluice.send(
                fifo, new NewMessage("ordered", Map.of(), Map.of(), Optional.empty(), "sender", "group-1", null));

        PeekedMessage peeked = join(sluice.queues.peek(fifo, new PeekRequest(10, Optional.empty(), Optional.empty())))
                .messages()
                .getFirst();
        assertThat(peeked.messageGroupId()).isEqualTo("group-1");
        assertThat(peeked.messageDeduplicationId()).isNotNull();
        assertThat(peeked.sequenceNumber()).isEqualTo(sent.sequenceNumber());
    }

    @Test
    void badPagesAreRefused() {
        assertThat(errorOf(() -> CompletableFuture.completedFuture(peek(0))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> CompletableFuture.completedFuture(peek(101))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> CompletableFuture.completedFuture(join(
                        sluice.queues.peek(queue, new PeekRequest(10, Optional.of("not-a-token"), Optional.empty()))))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        // Thrown at once or as the stage's failure: a backend that looks the queue up in a database can only do the
        // latter.
        assertThatThrownBy(() -> join(sluice.queues.peek(
                        QueuesFixture.key("missing"), new PeekRequest(10, Optional.empty(), Optional.empty()))))
                .satisfies(e -> assertThat(QueueException.causeOf(e).error()).isEqualTo(QueueError.QUEUE_NOT_FOUND));
    }
}
