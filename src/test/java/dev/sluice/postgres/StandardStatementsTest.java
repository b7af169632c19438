package dev.sluice.postgres;

import static dev.sluice.postgres.PostgresFixture.join;
import static dev.sluice.postgres.PostgresFixture.standard;
import static dev.sluice.postgres.PostgresFixture.standardBatch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.postgres.testkit.PostgresCluster;
import dev.sluice.postgres.testkit.PostgresExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The standard-queue statements on a real PostgreSQL: send, claim, delete, visibility change, purge. */
@ExtendWith(PostgresExtension.class)
class StandardStatementsTest {
    private static final long NOT_EXPIRED = Long.MIN_VALUE;
    private static PostgresFixture db;

    @BeforeAll
    static void setUp(PostgresCluster cluster) {
        db = new PostgresFixture(cluster, "standard");
    }

    @AfterAll
    static void tearDown() {
        db.close();
    }

    @Test
    void aBatchIsStoredInOrderWithIncreasingSequenceNumbers() {
        long queue = db.createQueue("batch", false);
        List<OutgoingMessage> batch = standardBatch(10, "m");

        List<SentRow> sent = join(db.sends.sendStandard(queue, 1_000, "AIDA", batch));

        assertThat(sent)
                .extracting(SentRow::messageId)
                .containsExactlyElementsOf(
                        batch.stream().map(OutgoingMessage::messageId).toList());
        assertThat(sent).extracting(SentRow::seq).isSorted().doesNotHaveDuplicates();
        List<ClaimedRow> claimed = join(db.claims.claimStandard(queue, 1_000, 31_000, NOT_EXPIRED, 10));
        assertThat(claimed)
                .extracting(ClaimedRow::body)
                .containsExactly(batch.stream().map(OutgoingMessage::body).toArray(String[]::new));
        assertThat(claimed).allSatisfy(row -> {
            assertThat(row.receiveCount()).isEqualTo(1);
            assertThat(row.firstReceivedAt()).isEqualTo(1_000);
            assertThat(row.senderId()).isEqualTo("AIDA");
            assertThat(row.sentAt()).isEqualTo(1_000);
        });
    }

    @Test
    void aClaimedMessageIsHiddenUntilItsDeadlineThenReceivedAgain() {
        long queue = db.createQueue("visibility", false);
        join(db.sends.sendStandard(queue, 1_000, null, List.of(standard("a"))));

        assertThat(join(db.claims.claimStandard(queue, 2_000, 32_000, NOT_EXPIRED, 10)))
                .hasSize(1);
        assertThat(join(db.claims.claimStandard(queue, 31_999, 61_999, NOT_EXPIRED, 10)))
                .as("hidden until 32,000")
                .isEmpty();
        List<ClaimedRow> again = join(db.claims.claimStandard(queue, 32_000, 62_000, NOT_EXPIRED, 10));
        assertThat(again).singleElement().satisfies(row -> {
            assertThat(row.receiveCount()).isEqualTo(2);
            assertThat(row.firstReceivedAt()).as("first receive kept").isEqualTo(2_000);
        });
    }

    @Test
    void delayedAndExpiredMessagesAreNotClaimed() {
        long queue = db.createQueue("delays", false);
        join(db.sends.sendStandard(queue, 1_000, null, List.of(standard("old"))));
        OutgoingMessage delayed = PostgresFixture.outgoing(5_000, null, null, "delayed");
        join(db.sends.sendStandard(queue, 2_000, null, List.of(delayed)));

        assertThat(join(db.claims.claimStandard(queue, 6_999, 9_000, 1_000, 10)))
                .as("'old' was enqueued at 1,000: past the retention cut-off; 'delayed' is visible from 7,000")
                .isEmpty();
        assertThat(join(db.claims.claimStandard(queue, 7_000, 9_000, 1_000, 10)))
                .extracting(ClaimedRow::body)
                .containsExactly("delayed");
    }

    @Test
    void deleteNeedsTheHandleOfTheLatestReceive() {
        long queue = db.createQueue("delete", false);
        join(db.sends.sendStandard(queue, 1_000, null, List.of(standard("a"))));
        ClaimedRow first = join(db.claims.claimStandard(queue, 1_000, 2_000, NOT_EXPIRED, 1))
                .getFirst();
        ClaimedRow second = join(db.claims.claimStandard(queue, 2_000, 3_000, NOT_EXPIRED, 1))
                .getFirst();

        Handle stale = new Handle(first.seq(), first.receiveCount());
        assertThat(join(db.deletes.deleteStandard(queue, List.of(stale)))).isEmpty();
        Handle current = new Handle(second.seq(), second.receiveCount());
        assertThat(join(db.deletes.deleteStandard(queue, List.of(current, stale))))
                .containsExactly(second.seq());
        assertThat(join(db.deletes.deleteStandard(queue, List.of(current))))
                .as("deleting twice matches nothing, and fails nothing")
                .isEmpty();
        assertThat(db.count("select count(*) from message where queue_id = " + queue))
                .isZero();
    }

    @Test
    void visibilityChangesApplyOnlyToCurrentInFlightHandlesWithin12Hours() {
        long queue = db.createQueue("change", false);
        join(db.sends.sendStandard(queue, 0, null, standardBatch(3, "v")));
        List<ClaimedRow> claimed = join(db.claims.claimStandard(queue, 1_000, 31_000, NOT_EXPIRED, 3));
        long twelveHours = 12 * 3600 * 1000L;
        List<VisibilityChange> changes = List.of(
                new VisibilityChange(handle(claimed.get(0)), 11_000),
                new VisibilityChange(new Handle(claimed.get(1).seq(), 7), 11_000),
                new VisibilityChange(handle(claimed.get(2)), 1_000 + twelveHours + 1),
                new VisibilityChange(new Handle(999_999, 1), 11_000));

        List<VisibilityRow> rows = join(db.visibility.changeStandard(queue, 10_000, twelveHours, changes));

        assertThat(rows).extracting(VisibilityRow::found).containsExactly(true, true, true, false);
        assertThat(rows).extracting(VisibilityRow::changed).containsExactly(true, false, false, false);
        assertThat(rows.get(2).lastReceivedAt()).isEqualTo(1_000);
        assertThat(join(db.claims.claimStandard(queue, 11_000, 20_000, NOT_EXPIRED, 10)))
                .extracting(ClaimedRow::seq)
                .containsExactly(claimed.get(0).seq());
    }

    @Test
    void purgeEmptiesOnlyItsQueue() {
        long purged = db.createQueue("purged", false);
        long kept = db.createQueue("kept", false);
        join(db.sends.sendStandard(purged, 0, null, standardBatch(5, "p")));
        join(db.sends.sendStandard(kept, 0, null, standardBatch(2, "k")));

        join(db.purges.purge(purged, 7_000));

        assertThat(db.count("select count(*) from message where queue_id = " + purged))
                .isZero();
        assertThat(db.count("select count(*) from message where queue_id = " + kept))
                .isEqualTo(2);
        assertThat(db.count("select last_purged_at from queue where id = " + purged))
                .isEqualTo(7_000);
    }

    @Test
    void concurrentClaimersNeverGetTheSameMessage() throws InterruptedException {
        long queue = db.createQueue("race", false);
        int messages = 2_000;
        for (int i = 0; i < messages; i += 10) {
            join(db.sends.sendStandard(queue, 0, null, standardBatch(10, "r" + i + "-")));
        }
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        List<Long> duplicates = Collections.synchronizedList(new ArrayList<>());
        int claimers = 8;
        CountDownLatch done = new CountDownLatch(claimers);
        for (int c = 0; c < claimers; c++) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        List<ClaimedRow> claimed =
                                join(db.claims.claimStandard(queue, 1_000, 1_000_000, NOT_EXPIRED, 10));
                        if (claimed.isEmpty()) {
                            return;
                        }
                        for (ClaimedRow row : claimed) {
                            if (!seen.add(row.seq())) {
                                duplicates.add(row.seq());
                            }
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        assertThat(done.await(120, TimeUnit.SECONDS)).isTrue();

        assertThat(duplicates).isEmpty();
        assertThat(seen).hasSize(messages);
        assertThat(new HashSet<>(seen)).hasSize(messages);
    }

    private static Handle handle(ClaimedRow row) {
        return new Handle(row.seq(), row.receiveCount());
    }
}
