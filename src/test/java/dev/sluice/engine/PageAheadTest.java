package dev.sluice.engine;

import static dev.sluice.queues.contract.QueuesFixture.join;
import static dev.sluice.queues.contract.QueuesFixture.key;
import static dev.sluice.queues.contract.QueuesFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.testkit.HeldPageInStore;
import dev.sluice.queues.NewMessage;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.rules.AccountLimits;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.queues.testkit.CountingIds;
import dev.sluice.queues.testkit.FakeClock;
import dev.sluice.store.StoreSnapshot;
import dev.sluice.store.StoredPage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Paging in ahead (README, Paged index): while pages remain, a queue asks for its next pages as soon as its window has
 * room for them, so several may be on their way at once and a drain does not wait on an empty window while one is
 * read; the window with its pages on their way never holds more than its size, look-ahead stops while the budget is
 * above its high-water mark, and order holds however the pages land. The store holds every page-in until the test
 * lands it ({@link HeldPageInStore}); the fake clock runs the pager.
 */
class PageAheadTest {
    private static final int PAGE = 50;
    private static final int WINDOW = 200;
    /** Paging starts above 400 messages' worth and stops below 300 (a window and a part page stay in memory). */
    private static final PagingPolicy POLICY = new PagingPolicy(
            100_000 * PagingTest.MESSAGE, 400 * PagingTest.MESSAGE, 300 * PagingTest.MESSAGE, PAGE, WINDOW);

    private final FakeClock clock = new FakeClock();
    private final HeldPageInStore store = new HeldPageInStore();
    private final QueueEngine engine = new QueueEngine(
            store, clock, clock, new CountingIds(), Strictness.LENIENT, QueueEngine.DEFAULT_REGION, POLICY);

    private QueueKey create(String name, Map<String, String> attributes) {
        join(engine.createQueue(key(name), attributes, Map.of(), AccountLimits.NO_QUEUE_LIMIT));
        return key(name);
    }

    /** Sends {@code count} messages in batches of ten, letting the pager run after each batch. */
    private void sendMany(QueueKey queue, int count, boolean fifo) {
        for (int i = 0; i < count; i += 10) {
            List<NewMessage> batch = new ArrayList<>(10);
            for (int j = i; j < Math.min(count, i + 10); j++) {
                batch.add(fifo ? PagingTest.ofSevenGroups(j) : message("m-" + j));
            }
            join(engine.sendBatch(queue, batch, AccountLimits.NO_MESSAGE_LIMIT));
            clock.advance(Duration.ZERO); // the pager runs
        }
    }

    /** Receives up to ten and deletes them, then lets the pager run; the bodies. */
    private List<String> take(QueueKey queue) {
        List<ReceivedMessage> got = join(engine.receive(
                queue, new ReceiveOptions(10, Optional.of(Duration.ofSeconds(30)), Optional.of(Duration.ZERO))));
        if (!got.isEmpty()) {
            join(engine.deleteMessages(
                    queue, got.stream().map(ReceivedMessage::receiptHandle).toList()));
        }
        clock.advance(Duration.ZERO);
        return got.stream().map(ReceivedMessage::body).toList();
    }

    /** The queue's window now: its ready messages in memory below its first page. */
    private int window() {
        StoreSnapshot stored = store.load();
        StoredPage first = stored.pages().getFirst();
        return (int) stored.messages().stream()
                .filter(entry -> entry.message().queueId().equals(first.queueId()))
                .filter(entry -> entry.message().sequence() < first.firstSequence())
                .count();
    }

    /** Messages of the page-ins on their way. */
    private int inTransit() {
        return store.inTransit().stream().mapToInt(in -> in.page().count()).sum();
    }

    /** Takes from the window until a page-in is asked; returns how many messages the window still held then. */
    private int takeUntilAPageInIsAsked(QueueKey queue, List<String> bodies) {
        return takeUntilAPageInIsAsked(queue, bodies, 0);
    }

    private int takeUntilAPageInIsAsked(QueueKey queue, List<String> bodies, int askedBefore) {
        int left = window();
        while (store.asked() == askedBefore) {
            List<String> got = take(queue);
            assertThat(got).as("the window ran dry before a page-in was asked").isNotEmpty();
            bodies.addAll(got);
            left -= got.size();
        }
        return left;
    }

    /**
     * Takes until the window is empty while every page-in stays on its way; after each take, the messages of the
     * window and of its pages on their way together.
     */
    private List<Integer> takeTheWindowWithPagesHeld(QueueKey queue, List<String> bodies, int left) {
        List<Integer> fed = new ArrayList<>();
        for (List<String> got = take(queue); !got.isEmpty(); got = take(queue)) {
            bodies.addAll(got);
            left -= got.size();
            fed.add(left + inTransit());
        }
        return fed;
    }

    /** Lands whatever is on its way and takes until the queue is empty. */
    private void takeTheRest(QueueKey queue, List<String> bodies) {
        for (int empty = 0; empty < 2; ) {
            store.landAll();
            List<String> got = take(queue);
            empty = got.isEmpty() ? empty + 1 : 0;
            bodies.addAll(got);
        }
    }

    private static List<String> bodies(int count) {
        List<String> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            bodies.add("m-" + i);
        }
        return bodies;
    }

    @Test
    void theNextPagesAreAskedForWhileTheWindowStillHasMessagesAndNeverOverfillIt() {
        QueueKey queue = create("standard", Map.of());
        // Twice: the budget charged for pages on their way is given back when they land (else the second round,
        // over the high-water mark, would not look ahead).
        for (int round = 0; round < 2; round++) {
            sendMany(queue, 2000, false);
            assertThat(store.load().pages())
                    .as("most of the backlog is in pages")
                    .hasSizeGreaterThan(30);
            assertThat(window()).isGreaterThan(WINDOW - PAGE);
            List<String> bodies = new ArrayList<>();
            int askedBefore = store.asked();

            int left = takeUntilAPageInIsAsked(queue, bodies, askedBefore);

            assertThat(left)
                    .as("the window when its first page-in is asked: as soon as a page fits, not once it is half empty")
                    .isGreaterThan(WINDOW - PAGE - 10)
                    .isLessThanOrEqualTo(WINDOW - PAGE);
            assertThat(takeTheWindowWithPagesHeld(queue, bodies, left))
                    .as("the window with its pages on their way: kept above a page short of its size, never over it")
                    .isNotEmpty()
                    .allSatisfy(
                            fed -> assertThat(fed).isGreaterThan(WINDOW - PAGE).isLessThanOrEqualTo(WINDOW));
            assertThat(store.inTransit())
                    .as("pages on their way once the window is empty")
                    .hasSizeGreaterThan(2);

            takeTheRest(queue, bodies);
            assertThat(bodies).containsExactlyElementsOf(bodies(2000));
            assertThat(store.load().pages()).isEmpty();
            assertThat(store.load().messages()).isEmpty();
        }
    }

    @Test
    void aBudgetAboveItsHighWaterMarkPagesInOnlyWhatTheWindowNeeds() {
        QueueKey queue = create("standard", Map.of());
        sendMany(queue, 2000, false);
        // Delayed messages cannot be paged: they hold the budget above the high-water mark.
        QueueKey delayed = create("delayed", Map.of("DelaySeconds", "900"));
        sendMany(delayed, 500, false);
        List<String> bodies = new ArrayList<>();

        int left = takeUntilAPageInIsAsked(queue, bodies);

        assertThat(left)
                .as("no look-ahead above high water: the first page-in waits for the low-water mark of the window")
                .isLessThan(WINDOW / 2);
        assertThat(takeTheWindowWithPagesHeld(queue, bodies, left))
                .as("the window with its pages on their way: a page-in only when it is below its low-water mark")
                .isNotEmpty()
                .allSatisfy(fed -> assertThat(fed).isLessThan(WINDOW / 2 + PAGE));

        takeTheRest(queue, bodies);
        assertThat(bodies).containsExactlyElementsOf(bodies(2000));
    }

    @Test
    void pagesThatLandOutOfOrderAreReceivedInSendOrder() {
        QueueKey queue = create("standard", Map.of());
        sendMany(queue, 2000, false);
        List<String> bodies = new ArrayList<>();
        int left = takeUntilAPageInIsAsked(queue, bodies);
        takeTheWindowWithPagesHeld(queue, bodies, left);
        List<HeldPageInStore.PageIn> coming = new ArrayList<>(store.inTransit());
        assertThat(coming).hasSizeGreaterThan(1);

        Collections.reverse(coming);
        for (HeldPageInStore.PageIn in : coming) {
            store.land(in);
            clock.advance(Duration.ZERO);
            if (in != coming.getLast()) {
                assertThat(take(queue))
                        .as("a later page landed before the first: its messages wait")
                        .isEmpty();
            }
        }

        takeTheRest(queue, bodies);
        assertThat(bodies).containsExactlyElementsOf(bodies(2000));
    }

    @Test
    void fifoGroupsKeepTheirOrderWithPagesOnTheirWayAndLandingOutOfOrder() {
        QueueKey queue = create("orders.fifo", Map.of("FifoQueue", "true"));
        sendMany(queue, 2000, true);
        assertThat(store.load().pages()).hasSizeGreaterThan(30);
        List<String> bodies = new ArrayList<>();
        int left = takeUntilAPageInIsAsked(queue, bodies);
        assertThat(left).isGreaterThan(WINDOW / 2);
        takeTheWindowWithPagesHeld(queue, bodies, left);
        List<HeldPageInStore.PageIn> coming = new ArrayList<>(store.inTransit());
        assertThat(coming).hasSizeGreaterThan(1);
        Collections.reverse(coming);
        coming.forEach(store::land);

        takeTheRest(queue, bodies);
        assertThat(bodies).hasSize(2000).doesNotHaveDuplicates();
        Map<String, List<Integer>> byGroup = new HashMap<>();
        for (String body : bodies) {
            String[] parts = body.split("-");
            byGroup.computeIfAbsent(parts[0], g -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
        }
        assertThat(byGroup).hasSize(7);
        byGroup.forEach((group, sequence) -> assertThat(sequence).as(group).isSorted());
    }
}
