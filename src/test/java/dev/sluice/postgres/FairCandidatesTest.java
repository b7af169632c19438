package dev.sluice.postgres;

import static dev.sluice.postgres.PostgresFixture.join;
import static dev.sluice.postgres.PostgresFixture.standardBatch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.postgres.testkit.PostgresCluster;
import dev.sluice.postgres.testkit.PostgresExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fair queues' in-flight counts on a real PostgreSQL ({@link ClaimStatements#FAIR}, {@link FairCandidates}): what the
 * claims record, that the counts follow the messages' own state at the statement's {@code now} (a deadline that passes
 * writes nothing), and what the claims and the sweeper remove. The answers themselves are the contract's
 * ({@code FairQueueTest}, on every backend).
 */
@ExtendWith(PostgresExtension.class)
class FairCandidatesTest {
    private static final long NOT_EXPIRED = Long.MIN_VALUE;
    private static final long TIMEOUT = 30_000;
    private static PostgresFixture db;

    @BeforeAll
    static void setUp(PostgresCluster cluster) {
        db = new PostgresFixture(cluster, "fair");
    }

    @AfterAll
    static void tearDown() {
        db.close();
    }

    @Test
    void theFairClaimIsShortEnoughForThePoolsToCacheIt() {
        assertThat(ClaimStatements.FAIR.length())
                .as("longer than Vert.x's default limit, within the pools' (the server's PostgresPool sets it)")
                .isGreaterThan(2_048)
                .isLessThanOrEqualTo(StatementCache.SQL_LIMIT);
    }

    @Test
    void aQueueWhoseMessagesHaveNoGroupWritesNothingForFairness() {
        long queue = db.createQueue("plain", false);
        join(db.sends.sendStandard(queue, 1_000, null, standardBatch(10, "m")));

        assertThat(claim(queue, 1_000, 10)).hasSize(10);

        assertThat(db.count("select count(*) from fair_queue where queue_id = " + queue))
                .isZero();
        assertThat(candidates(queue)).isZero();
    }

    @Test
    void theFirstClaimOfAQueueWithGroupsCountsWhatIsAlreadyInFlight() {
        long queue = db.createQueue("seeded", false);
        join(db.sends.sendStandard(queue, 1_000, null, standardBatch(30, "plain")));
        assertThat(claim(queue, 1_000, 10)).hasSize(10); // before any group: recorded nowhere
        send(queue, "g", 2);

        assertThat(claim(queue, 2_000, 10)).hasSize(10);

        assertThat(db.count("select count(*) from fair_queue where queue_id = " + queue))
                .isOne();
        assertThat(candidates(queue))
                .as("the 10 in flight before, the 10 just claimed")
                .isEqualTo(20);
    }

    @Test
    void aGroupStopsBeingNoisyWhenItsDeadlinePassesThoughNothingIsWritten() {
        long queue = db.createQueue("deadline", false);
        send(queue, "noisy", 30);
        assertThat(claim(queue, 1_000, 10)).hasSize(10);
        assertThat(claim(queue, 1_000, 10)).hasSize(10);
        assertThat(claim(queue, 1_000, 10)).hasSize(10);
        send(queue, "noisy", 2);
        send(queue, "quiet", 2);
        assertThat(claim(queue, 2_000, 1))
                .as("30 in flight, all of group noisy: the quiet group first")
                .extracting(ClaimedRow::body)
                .containsExactly("quiet-0");
        assertThat(candidates(queue)).isEqualTo(31);

        // The noisy group's 30 deadlines (31,000) pass, and nothing runs in between: the 31 candidates are still there.
        List<ClaimedRow> after = claim(queue, 31_000, 1);

        assertThat(after)
                .as("1 in flight (quiet-0): nobody is noisy, the oldest comes first")
                .extracting(ClaimedRow::body)
                .containsExactly("noisy-0");
    }

    @Test
    void aClaimRemovesTheCandidatesOfDeletedMessages() {
        long queue = db.createQueue("deleted", false);
        send(queue, "g", 20);
        List<ClaimedRow> first = claim(queue, 1_000, 10);
        List<Handle> handles = first.stream()
                .map(row -> new Handle(row.seq(), row.receiveCount()))
                .toList();
        assertThat(join(db.deletes.deleteStandard(queue, handles))).hasSize(10);
        assertThat(candidates(queue)).isEqualTo(10);

        assertThat(claim(queue, 2_000, 10)).hasSize(10);

        assertThat(candidates(queue))
                .as("the deleted ten gone, the new ten recorded")
                .isEqualTo(10);
        assertThat(db.count("select min(seq) from fair_candidate where queue_id = " + queue))
                .isGreaterThan(first.getLast().seq());
    }

    @Test
    void theSweeperRemovesCandidatesVisibleAgainForAMinuteAndKeepsTheOnesInFlight() {
        long queue = db.createQueue("visible", false);
        send(queue, "g", 20);
        assertThat(claim(queue, 1_000, 10)).hasSize(10); // visible again at 31,000
        Sweeper sweeper = sweeper();
        long deadline = 1_000 + TIMEOUT;

        join(sweeper.sweep(deadline + FairCandidates.STRAGGLER_MS - 1));
        assertThat(candidates(queue)).as("visible for less than a minute: kept").isEqualTo(10);
        assertThat(claim(queue, deadline + FairCandidates.STRAGGLER_MS, 5))
                .as("claimed again: their candidates' receive counts move on")
                .allSatisfy(row -> assertThat(row.receiveCount()).isEqualTo(2));

        join(sweeper.sweep(deadline + FairCandidates.STRAGGLER_MS));

        assertThat(candidates(queue)).as("the five in flight again").isEqualTo(5);
        assertThat(db.count("select min(receive_count) from fair_candidate where queue_id = " + queue))
                .isEqualTo(2);
    }

    @Test
    void theSweepersAuditCountsAClaimThatRacedTheFirstGroupedClaim() {
        long queue = db.createQueue("audited", false);
        send(queue, "g", 4);
        assertThat(join(db.claims.claimFair(queue, 1_000, 600_000, NOT_EXPIRED, 4)))
                .hasSize(4); // tracking starts
        join(db.sends.sendStandard(queue, 1_000, null, standardBatch(30, "plain")));
        // A claim that saw no fair_queue row (it started before the first grouped claim committed) records nothing;
        // STANDARD is such a claim.
        assertThat(join(db.claims.claimStandard(queue, 1_000, 600_000, NOT_EXPIRED, 30)))
                .hasSize(30);
        send(queue, "g", 1);
        join(db.sends.sendStandard(queue, 1_000, null, standardBatch(1, "late")));
        long afterStragglers = 1_000 + FairCandidates.STRAGGLER_MS;

        join(sweeper().sweep(afterStragglers));

        assertThat(candidates(queue))
                .as("the 4 recorded, the 30 found by the audit")
                .isEqualTo(34);
        assertThat(join(db.claims.claimFair(queue, afterStragglers, afterStragglers + 600_000, NOT_EXPIRED, 1)))
                .as("34 in flight, 4 of group g (more than 10%): the later message without a group first")
                .extracting(ClaimedRow::body)
                .containsExactly("late0");
    }

    /** The sweeper, on queues given the retention period the server gives them (it sweeps expired messages too). */
    private static Sweeper sweeper() {
        db.cluster.execute(db.database, "update queue set attributes = '{\"MessageRetentionPeriod\": \"345600\"}'");
        return new Sweeper(db.pool);
    }

    private static List<ClaimedRow> claim(long queue, long now, int max) {
        return join(db.claims.claimFair(queue, now, now + TIMEOUT, NOT_EXPIRED, max));
    }

    private static void send(long queue, String group, int count) {
        int first = (int)
                db.count("select count(*) from message where queue_id = " + queue + " and group_id = '" + group + "'");
        List<OutgoingMessage> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(PostgresFixture.outgoing(0, group, null, group + "-" + (first + i)));
            if (batch.size() == 10 || i == count - 1) {
                join(db.sends.sendStandard(queue, 1_000, null, batch));
                batch = new ArrayList<>();
            }
        }
    }

    private static long candidates(long queue) {
        return db.count("select count(*) from fair_candidate where queue_id = " + queue);
    }
}
