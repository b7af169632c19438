package dev.sluice.postgres;

import static dev.sluice.postgres.PostgresFixture.fifo;
import static dev.sluice.postgres.PostgresFixture.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.postgres.testkit.PostgresCluster;
import dev.sluice.postgres.testkit.PostgresExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The FIFO statements on a real PostgreSQL: group order, one receiver per group, deduplication. */
@ExtendWith(PostgresExtension.class)
class FifoStatementsTest {
    private static final long NOT_EXPIRED = Long.MIN_VALUE;
    private static final long WINDOW = 300_000;
    private static PostgresFixture db;

    @BeforeAll
    static void setUp(PostgresCluster cluster) {
        db = new PostgresFixture(cluster, "fifo");
    }

    @AfterAll
    static void tearDown() {
        db.close();
    }

    private static List<SentRow> send(long queue, long now, OutgoingMessage... messages) {
        return join(db.sends.sendFifo(queue, now, null, 0, WINDOW, List.of(messages), null));
    }

    @Test
    void aReceiveTakesTheRunOfOneGroupThenTheNextGroupInHeadOrder() {
        long queue = db.createQueue("runs.fifo", true);
        send(queue, 0, fifo("g1", "1", "g1-a"), fifo("g2", "2", "g2-a"), fifo("g1", "3", "g1-b"));

        List<ClaimedRow> first = join(db.claims.claimFifo(queue, 1_000, 31_000, NOT_EXPIRED, 2));
        assertThat(first).extracting(ClaimedRow::body).containsExactly("g1-a", "g1-b");
        List<ClaimedRow> second = join(db.claims.claimFifo(queue, 1_000, 31_000, NOT_EXPIRED, 10));
        assertThat(second).extracting(ClaimedRow::body).containsExactly("g2-a");
        assertThat(join(db.claims.claimFifo(queue, 1_000, 31_000, NOT_EXPIRED, 10)))
                .as("both groups in flight")
                .isEmpty();
    }

    @Test
    void aGroupStaysBlockedUntilAllItsInFlightMessagesAreDeletedOrVisible() {
        long queue = db.createQueue("blocked.fifo", true);
        send(queue, 0, fifo("g", "1", "a"), fifo("g", "2", "b"));
        List<ClaimedRow> a = join(db.claims.claimFifo(queue, 1_000, 31_000, NOT_EXPIRED, 1));
        assertThat(a).extracting(ClaimedRow::body).containsExactly("a");

        send(queue, 2_000, fifo("g", "3", "c"));
        assertThat(join(db.claims.claimFifo(queue, 2_000, 32_000, NOT_EXPIRED, 10)))
                .isEmpty();

        assertThat(join(db.deletes.deleteFifo(queue, 3_000, List.of(handle(a.getFirst())))))
                .hasSize(1);
        assertThat(join(db.claims.claimFifo(queue, 3_000, 33_000, NOT_EXPIRED, 10)))
                .as("deleting the in-flight message frees the group at once")
                .extracting(ClaimedRow::body)
                .containsExactly("b", "c");
        assertThat(join(db.claims.claimFifo(queue, 32_999, 40_000, NOT_EXPIRED, 10)))
                .isEmpty();
        assertThat(join(db.claims.claimFifo(queue, 33_000, 63_000, NOT_EXPIRED, 10)))
                .as("visible again at their deadline, in order")
                .extracting(ClaimedRow::body)
                .containsExactly("b", "c");
    }

    @Test
    void makingAnInFlightMessageVisibleFreesItsGroup() {
        long queue = db.createQueue("release.fifo", true);
        send(queue, 0, fifo("g", "1", "a"));
        ClaimedRow a =
                join(db.claims.claimFifo(queue, 1_000, 31_000, NOT_EXPIRED, 1)).getFirst();

        List<VisibilityRow> rows = join(
                db.visibility.changeFifo(queue, 2_000, 43_200_000, List.of(new VisibilityChange(handle(a), 2_000))));

        assertThat(rows)
                .singleElement()
                .satisfies(row -> assertThat(row.changed()).isTrue());
        assertThat(join(db.claims.claimFifo(queue, 2_000, 32_000, NOT_EXPIRED, 10)))
                .extracting(ClaimedRow::receiveCount)
                .containsExactly(2);
    }

    @Test
    void aDuplicateWithinTheWindowIsAnsweredWithTheFirstMessageAndStoresNothing() {
        long queue = db.createQueue("dedup.fifo", true);
        OutgoingMessage original = fifo("g", "same", "first");
        SentRow first = send(queue, 0, original).getFirst();

        SentRow again = send(queue, 299_999, fifo("g", "same", "second")).getFirst();

        assertThat(first.duplicate()).isFalse();
        assertThat(again.duplicate()).isTrue();
        assertThat(again.messageId()).isEqualTo(original.messageId());
        assertThat(again.seq()).isEqualTo(first.seq());
        assertThat(db.count("select count(*) from message where queue_id = " + queue))
                .isEqualTo(1);

        SentRow afterWindow = send(queue, 300_000, fifo("g", "same", "third")).getFirst();
        assertThat(afterWindow.duplicate()).as("the key expired at 300,000").isFalse();
        assertThat(afterWindow.seq()).isGreaterThan(first.seq());
        assertThat(db.count("select count(*) from message where queue_id = " + queue))
                .isEqualTo(2);
    }

    @Test
    void deduplicationOutlivesTheDeletedMessage() {
        long queue = db.createQueue("kept.fifo", true);
        send(queue, 0, fifo("g", "k", "a"));
        ClaimedRow a =
                join(db.claims.claimFifo(queue, 0, 30_000, NOT_EXPIRED, 1)).getFirst();
        join(db.deletes.deleteFifo(queue, 1, List.of(handle(a))));

        assertThat(send(queue, 2, fifo("g", "k", "a")).getFirst().duplicate()).isTrue();
        assertThat(db.count("select count(*) from message where queue_id = " + queue))
                .isZero();
        assertThat(db.count("select count(*) from message_group where queue_id = " + queue + " and head_seq is null"))
                .as("the emptied group is kept, without a head")
                .isEqualTo(1);
    }

    @Test
    void concurrentReceiversNeverHoldTwoMessagesOfOneGroupAndSeeEachGroupInOrder() throws InterruptedException {
        long queue = db.createQueue("race.fifo", true);
        int groups = 20;
        int perGroup = 30;
        for (int i = 0; i < perGroup; i++) {
            List<OutgoingMessage> batch = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                batch.add(fifo("g" + g, "d" + g + "-" + i, "g" + g + ":" + i));
            }
            for (int from = 0; from < batch.size(); from += 10) {
                join(db.sends.sendFifo(queue, 0, null, 0, WINDOW, batch.subList(from, from + 10), null));
            }
        }
        Map<String, Long> holder = new ConcurrentHashMap<>();
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        Map<String, List<Integer>> order = new ConcurrentHashMap<>();
        int receivers = 8;
        CountDownLatch done = new CountDownLatch(receivers);
        for (int r = 0; r < receivers; r++) {
            long receiver = r;
            Thread.ofVirtual().start(() -> {
                try {
                    int idle = 0;
                    while (idle < 20) {
                        List<ClaimedRow> claimed = join(db.claims.claimFifo(queue, 1_000, 1_000_000, NOT_EXPIRED, 10));
                        if (claimed.isEmpty()) {
                            idle++;
                            Thread.yield();
                            continue;
                        }
                        idle = 0;
                        Map<String, List<ClaimedRow>> byGroup = new HashMap<>();
                        for (ClaimedRow row : claimed) {
                            byGroup.computeIfAbsent(row.groupId(), g -> new ArrayList<>())
                                    .add(row);
                        }
                        byGroup.keySet().forEach(group -> {
                            Long other = holder.putIfAbsent(group, receiver);
                            if (other != null) {
                                violations.add(group + " held by " + other + " and " + receiver);
                            }
                        });
                        for (ClaimedRow row : claimed) {
                            order.computeIfAbsent(row.groupId(), g -> Collections.synchronizedList(new ArrayList<>()))
                                    .add(Integer.parseInt(
                                            row.body().substring(row.body().indexOf(':') + 1)));
                        }
                        // Release the group before deleting: another receiver may take it as soon as it is deleted.
                        byGroup.keySet().forEach(holder::remove);
                        join(db.deletes.deleteFifo(
                                queue,
                                1_000,
                                claimed.stream().map(FifoStatementsTest::handle).toList()));
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        assertThat(done.await(180, TimeUnit.SECONDS)).isTrue();

        assertThat(violations).isEmpty();
        assertThat(order).hasSize(groups);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < perGroup; i++) {
            expected.add(i);
        }
        order.forEach((group, seen) -> assertThat(seen).as(group).containsExactlyElementsOf(expected));
        assertThat(db.count("select count(*) from message where queue_id = " + queue))
                .isZero();
    }

    private static Handle handle(ClaimedRow row) {
        return new Handle(row.seq(), row.receiveCount());
    }
}
