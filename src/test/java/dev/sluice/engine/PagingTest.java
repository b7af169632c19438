package dev.sluice.engine;

import static dev.sluice.queues.contract.QueuesFixture.arn;
import static dev.sluice.queues.contract.QueuesFixture.join;
import static dev.sluice.queues.contract.QueuesFixture.key;
import static dev.sluice.queues.contract.QueuesFixture.message;
import static dev.sluice.queues.contract.QueuesFixture.redrive;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.queues.MessagePage;
import dev.sluice.queues.MoveTaskStatus;
import dev.sluice.queues.NewMessage;
import dev.sluice.queues.PeekRequest;
import dev.sluice.queues.PeekedMessage;
import dev.sluice.queues.QueueInfo;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.SentMessage;
import dev.sluice.queues.StartMoveTask;
import dev.sluice.queues.rules.AccountLimits;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.queues.testkit.CountingIds;
import dev.sluice.queues.testkit.FakeClock;
import dev.sluice.queues.transfer.ArchivedMessage;
import dev.sluice.store.StoreSnapshot;
import dev.sluice.store.memory.InMemoryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Paging (README, Paged index) on the memory store's pages with a small budget: thousands of messages paged out and
 * back in while the SQS semantics hold over them. The fake clock runs the pager: {@link #settle} lets it page.
 */
class PagingTest {
    private static final int PAGE = 50;
    private static final int WINDOW = 100;
    /** A message of these tests in the budget: the base and its short body (the memory store keeps bodies). */
    static final long MESSAGE = MemoryBudget.MESSAGE_BYTES + 64;
    /** Paging starts above 300 messages' worth and stops below 200; sends are refused at 100,000 messages' worth. */
    private static final PagingPolicy POLICY =
            new PagingPolicy(100_000 * MESSAGE, 300 * MESSAGE, 200 * MESSAGE, PAGE, WINDOW);

    private final InMemoryStore store = InMemoryStore.paging();
    private final FakeClock clock = new FakeClock();
    private final CountingIds ids = new CountingIds();
    private QueueEngine engine = open();

    private QueueEngine open() {
        return new QueueEngine(store, clock, clock, ids, Strictness.LENIENT, QueueEngine.DEFAULT_REGION, POLICY);
    }

    /** Runs what the pager has to do now. */
    private void settle() {
        clock.advance(Duration.ZERO);
    }

    private QueueKey create(String name, Map<String, String> attributes) {
        QueueKey queue = key(name);
        join(engine.createQueue(queue, attributes, Map.of(), AccountLimits.NO_QUEUE_LIMIT));
        return queue;
    }

    /** Sends {@code count} messages "prefix-i" in batches of ten, letting the pager run after each batch. */
    private List<SentMessage> sendMany(QueueKey queue, String prefix, int count) {
        List<SentMessage> sent = new ArrayList<>(count);
        for (int i = 0; i < count; i += 10) {
            List<NewMessage> batch = new ArrayList<>(10);
            for (int j = i; j < Math.min(count, i + 10); j++) {
                batch.add(message(prefix + "-" + j));
            }
            join(engine.sendBatch(queue, batch, AccountLimits.NO_MESSAGE_LIMIT))
                    .forEach(outcome -> sent.add(outcome.value()));
            settle();
        }
        return sent;
    }

    private List<ReceivedMessage> receive(QueueKey queue, int max, Duration visibility) {
        List<ReceivedMessage> received = join(
                engine.receive(queue, new ReceiveOptions(max, Optional.of(visibility), Optional.of(Duration.ZERO))));
        settle();
        return received;
    }

    /** Receives and deletes until a receive gets nothing twice in a row (the pager runs in between); the bodies. */
    private List<String> drain(QueueKey queue) {
        List<String> bodies = new ArrayList<>();
        for (int empty = 0; empty < 2; ) {
            List<ReceivedMessage> got = receive(queue, 10, Duration.ofSeconds(30));
            if (got.isEmpty()) {
                empty++;
                continue;
            }
            empty = 0;
            got.forEach(message -> bodies.add(message.body()));
            join(engine.deleteMessages(
                    queue, got.stream().map(ReceivedMessage::receiptHandle).toList()));
        }
        return bodies;
    }

    private QueueInfo info(QueueKey queue) {
        return join(engine.describe(queue));
    }

    private StoreSnapshot stored() {
        return store.load();
    }

    private static List<String> bodies(String prefix, int count) {
        List<String> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            bodies.add(prefix + "-" + i);
        }
        return bodies;
    }

    @Test
    void aBacklogIsPagedOutAndReceivedInSendOrder() {
        QueueKey queue = create("standard", Map.of());
        sendMany(queue, "m", 3000);

        assertThat(stored().pages()).as("most of the backlog is in pages").hasSizeGreaterThan(40);
        assertThat(stored().messages()).as("the rest: windows and the tail").hasSizeLessThan(400);
        assertThat(info(queue).visible()).as("paged messages are counted").isEqualTo(3000);
        assertThat(join(engine.messageCount(queue.accountId()))).isEqualTo(3000);
        assertThat(engine.statistics().read().getFirst().visible()).isEqualTo(3000);

        assertThat(drain(queue)).containsExactlyElementsOf(bodies("m", 3000));
        assertThat(stored().pages()).isEmpty();
        assertThat(stored().messages()).isEmpty();
        assertThat(info(queue).visible()).isZero();
    }

    @Test
    void sendsWhileAQueueHasPagesComeAfterThem() {
        QueueKey queue = create("standard", Map.of());
        sendMany(queue, "a", 1000);
        List<String> received = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            List<ReceivedMessage> got = receive(queue, 10, Duration.ofSeconds(30));
            got.forEach(message -> received.add(message.body()));
            join(engine.deleteMessages(
                    queue, got.stream().map(ReceivedMessage::receiptHandle).toList()));
        }
        sendMany(queue, "b", 1000);
        received.addAll(drain(queue));

        List<String> expected = new ArrayList<>(bodies("a", 1000));
        expected.addAll(bodies("b", 1000));
        assertThat(received).containsExactlyElementsOf(expected);
    }

    /** FIFO message {@code j} "g&lt;group&gt;-j" of seven groups (j mod 7), deduplicated as "d&lt;j&gt;". */
    static NewMessage ofSevenGroups(int j) {
        return new NewMessage(
                "g" + (j % 7) + "-" + j, Map.of(), Map.of(), Optional.empty(), "sender", "g" + (j % 7), "d" + j);
    }

    @Test
    void fifoOrderAndDeduplicationHoldAcrossPages() {
        QueueKey queue = create("orders.fifo", Map.of("FifoQueue", "true"));
        Map<String, String> firstIds = new HashMap<>();
        for (int i = 0; i < 2000; i += 10) {
            List<NewMessage> batch = new ArrayList<>();
            for (int j = i; j < i + 10; j++) {
                batch.add(ofSevenGroups(j));
            }
            List<SentMessage> sent = join(engine.sendBatch(queue, batch, AccountLimits.NO_MESSAGE_LIMIT)).stream()
                    .map(outcome -> outcome.value())
                    .toList();
            for (int j = 0; j < 10; j++) {
                firstIds.put("d" + (i + j), sent.get(j).messageId());
            }
            settle();
        }
        assertThat(stored().pages()).isNotEmpty();

        SentMessage again = join(engine.send(
                queue,
                new NewMessage("again", Map.of(), Map.of(), Optional.empty(), "sender", "g0", "d7"),
                AccountLimits.NO_MESSAGE_LIMIT));
        assertThat(again.messageId()).as("a duplicate of a paged message").isEqualTo(firstIds.get("d7"));
        assertThat(info(queue).visible()).isEqualTo(2000);

        // Some receives left to time out, so messages come back inside the paged region while pages remain.
        receive(queue, 10, Duration.ofSeconds(1));
        clock.advanceSeconds(2);
        Map<String, List<Integer>> byGroup = new HashMap<>();
        List<String> bodies = drain(queue);
        for (String body : bodies) {
            String[] parts = body.split("-");
            byGroup.computeIfAbsent(parts[0], g -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
        }
        assertThat(bodies).hasSize(2000).doesNotHaveDuplicates();
        byGroup.forEach((group, sequence) -> assertThat(sequence).as(group).isSorted());
    }

    @Test
    void visibilityTimeoutsAndDelaysWorkBesidePages() {
        QueueKey queue = create("standard", Map.of());
        sendMany(queue, "m", 1000);
        List<ReceivedMessage> hidden = receive(queue, 10, Duration.ofSeconds(5));
        join(engine.send(queue, message("late", Duration.ofSeconds(10)), AccountLimits.NO_MESSAGE_LIMIT));
        assertThat(info(queue).inFlight()).isEqualTo(10);
        assertThat(info(queue).delayed()).isEqualTo(1);
        assertThat(info(queue).visible()).isEqualTo(990);

        clock.advanceSeconds(11);
        List<String> bodies = drain(queue);
        Set<String> expected = new HashSet<>(bodies("m", 1000));
        expected.add("late");
        assertThat(bodies).hasSize(1001).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(bodies.subList(0, 10))
                .as("the messages whose visibility timeout ended are in the window, first")
                .containsExactlyElementsOf(
                        hidden.stream().map(ReceivedMessage::body).toList());
    }

    @Test
    void retentionExpiresPagesWholeAndInPart() {
        QueueKey queue = create("short", Map.of("MessageRetentionPeriod", "60"));
        sendMany(queue, "old", 1500);
        clock.advanceSeconds(30);
        sendMany(queue, "new", 1500);
        assertThat(stored().pages()).hasSizeGreaterThan(40);

        clock.advanceSeconds(31);
        info(queue);
        settle();
        assertThat(info(queue).visible()).isEqualTo(1500);
        assertThat(drain(queue)).containsExactlyElementsOf(bodies("new", 1500));

        sendMany(queue, "gone", 1500);
        clock.advanceSeconds(61);
        assertThat(info(queue).visible()).isZero();
        assertThat(stored().pages()).isEmpty();
        assertThat(stored().messages()).isEmpty();
        assertThat(join(engine.messageCount(queue.accountId()))).isZero();
    }

    @Test
    void purgeAndDeleteQueueDropPages() {
        QueueKey purged = create("purged", Map.of());
        QueueKey deleted = create("deleted", Map.of());
        sendMany(purged, "p", 1500);
        sendMany(deleted, "d", 1500);
        assertThat(stored().pages()).hasSizeGreaterThan(20);

        join(engine.purgeQueue(purged));
        join(engine.deleteQueue(deleted));
        assertThat(stored().pages()).isEmpty();
        assertThat(stored().messages()).isEmpty();
        assertThat(info(purged).visible()).isZero();
        assertThat(join(engine.messageCount(purged.accountId()))).isZero();

        sendMany(purged, "after", 500);
        assertThat(drain(purged)).containsExactlyElementsOf(bodies("after", 500));
    }

    @Test
    void deadLetterMovesAndMoveTasksWorkOnPagedMessages() {
        QueueKey dlq = create("dlq", Map.of());
        QueueKey source = create("source", redrive(dlq, 1));
        sendMany(source, "m", 1000);
        // Each message received once and left to time out: the next receive dead-letters it.
        for (int i = 0; i < 200; i++) {
            receive(source, 10, Duration.ofSeconds(1));
        }
        clock.advanceSeconds(2);
        for (int empty = 0; empty < 2; ) {
            List<ReceivedMessage> got = receive(source, 10, Duration.ofSeconds(1));
            empty = got.isEmpty() && info(source).visible() == 0 ? empty + 1 : 0;
            clock.advanceSeconds(2);
        }
        assertThat(info(dlq).visible()).isEqualTo(1000);
        assertThat(info(source).visible()).isZero();
        assertThat(stored().pages()).as("the dead-letter queue pages").isNotEmpty();

        String task = join(engine.startMessageMoveTask(new StartMoveTask(dlq, arn(dlq), source, arn(source), 100)));
        for (int i = 0; i < 30; i++) {
            clock.advanceSeconds(1);
        }
        assertThat(join(engine.listMessageMoveTasks(dlq, 1)).getFirst().status())
                .as(task)
                .isEqualTo(MoveTaskStatus.COMPLETED);
        assertThat(info(dlq).visible()).isZero();
        assertThat(info(source).visible()).isEqualTo(1000);
        assertThat(drain(source)).containsExactlyInAnyOrderElementsOf(bodies("m", 1000));
    }

    @Test
    void aRestartBringsPagesBackAsPages() {
        QueueKey queue = create("standard", Map.of());
        QueueKey fifo = create("f.fifo", Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true"));
        sendMany(queue, "m", 2000);
        for (int i = 0; i < 1500; i += 10) {
            List<NewMessage> batch = new ArrayList<>();
            for (int j = i; j < i + 10; j++) {
                batch.add(new NewMessage("f-" + j, Map.of(), Map.of(), Optional.empty(), "sender", "g", null));
            }
            join(engine.sendBatch(fifo, batch, AccountLimits.NO_MESSAGE_LIMIT));
            settle();
        }
        int pages = stored().pages().size();
        assertThat(pages).isGreaterThan(30);

        engine = open();
        assertThat(info(queue).visible()).isEqualTo(2000);
        assertThat(info(fifo).visible()).isEqualTo(1500);
        assertThat(join(engine.messageCount(queue.accountId()))).isEqualTo(3500);
        settle();
        assertThat(drain(queue)).containsExactlyElementsOf(bodies("m", 2000));
        assertThat(drain(fifo)).containsExactlyElementsOf(bodies("f", 1500));
    }

    @Test
    void peekAndExportSeePagedMessages() {
        QueueKey queue = create("standard", Map.of());
        sendMany(queue, "m", 700);
        clock.advanceSeconds(1);
        sendMany(queue, "n", 700);
        List<ReceivedMessage> inFlight = receive(queue, 10, Duration.ofSeconds(60));
        assertThat(stored().pages()).hasSizeGreaterThan(20);

        List<String> peeked = new ArrayList<>();
        Optional<String> next = Optional.empty();
        do {
            MessagePage page = join(engine.peek(queue, new PeekRequest(100, next, Optional.empty())));
            page.messages().forEach(message -> peeked.add(message.body()));
            next = Optional.ofNullable(page.nextToken());
        } while (next.isPresent());
        List<String> all = new ArrayList<>(bodies("m", 700));
        all.addAll(bodies("n", 700));
        assertThat(peeked).as("by age, paged ones included, no gaps or repeats").containsExactlyElementsOf(all);
        MessagePage visible = join(
                engine.peek(queue, new PeekRequest(100, Optional.empty(), Optional.of(PeekedMessage.State.IN_FLIGHT))));
        assertThat(visible.messages())
                .extracting(PeekedMessage::body)
                .containsExactlyElementsOf(
                        inFlight.stream().map(ReceivedMessage::body).toList());

        StoreArchive archive = new StoreArchive(store, QueueEngine.DEFAULT_REGION);
        assertThat(archive.messages(queue, -1, 10_000))
                .extracting(ArchivedMessage::body)
                .containsExactlyElementsOf(all);
    }

    @Test
    void sendsAreAcceptedPastTheBudgetWhileTheBacklogPagesAndRefusedWhenWhatCannotPageFillsIt() {
        PagingPolicy tight = new PagingPolicy(400 * MESSAGE, 200 * MESSAGE, 150 * MESSAGE, PAGE, WINDOW);
        engine = new QueueEngine(store, clock, clock, ids, Strictness.LENIENT, QueueEngine.DEFAULT_REGION, tight);
        QueueKey queue = create("standard", Map.of());
        sendMany(queue, "m", 3000);
        assertThat(info(queue).visible()).isEqualTo(3000);

        QueueKey delayed = create("delayed", Map.of("DelaySeconds", "900"));
        int accepted = 0;
        try {
            for (; accepted < 1000; accepted++) {
                join(engine.send(delayed, message("d" + accepted), AccountLimits.NO_MESSAGE_LIMIT));
                settle();
            }
        } catch (RuntimeException refused) {
            assertThat(refused).hasMessageContaining("sluice.memory.max-index");
        }
        assertThat(accepted)
                .as("delayed messages cannot page: they fill the budget")
                .isBetween(150, 400);
    }
}
