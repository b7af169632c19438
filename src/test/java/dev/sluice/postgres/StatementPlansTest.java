package dev.sluice.postgres;

import static dev.sluice.postgres.PostgresFixture.fifo;
import static dev.sluice.postgres.PostgresFixture.join;
import static dev.sluice.postgres.PostgresFixture.standardBatch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.postgres.testkit.PostgresCluster;
import dev.sluice.postgres.testkit.PostgresExtension;
import dev.sluice.postgres.testkit.PostgresRig;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hot statements' plans on a queue the planner has no statistics for: one created, and filled, after the table's
 * last ANALYZE (autovacuum off, so it stays that way), as every new queue is until autovacuum comes round. A receive
 * or a delete must read only the rows it returns, never the queue's whole backlog: EXPLAIN ANALYZE of each statement
 * (rolled back) on a backlog of {@value #BACKLOG}, every plan node's rows read (rows × loops, plus the rows its filter
 * removed) at most {@value #MOST_ROWS_READ}. The pools connect as the server's does: generic plans (each connection plans a
 * statement once and keeps the plan), no sequential or bitmap scans; so also a plan made while the table was small
 * must serve a backlog.
 */
@ExtendWith(PostgresExtension.class)
class StatementPlansTest {
    private static final int BACKLOG = 2_000;
    private static final int MOST_ROWS_READ = 100;
    private static final int GROUPS = 100;
    private static final int FAIR_BACKLOG = 10_000;
    private static final int IN_FLIGHT = 1_000;
    private static final Pattern ACTUAL = Pattern.compile("actual time=[0-9.]+\\.\\.[0-9.]+ rows=(\\d+) loops=(\\d+)");
    private static final Pattern REMOVED = Pattern.compile("Rows Removed by (?:Filter|Join Filter): (\\d+)");
    /** A claim's parameters as the server binds them ($1 queue … $6 maxReceiveCount) and their values, as SQL. */
    private static final String CLAIM_TYPES = "bigint, bigint, bigint, bigint, int, int";

    private static PostgresFixture db;
    private static long queue;

    @BeforeAll
    static void setUp(PostgresCluster cluster) {
        db = new PostgresFixture(cluster, "plans");
        long analysed = db.createQueue("analysed", false);
        for (int i = 0; i < BACKLOG / 10; i++) {
            join(db.sends.sendStandard(analysed, 1_000, null, standardBatch(10, "a")));
        }
        join(db.pool
                .query("alter table message set (autovacuum_enabled = false)")
                .execute());
        join(db.pool.query("analyze message").execute());
        queue = db.createQueue("new", false);
        for (int i = 0; i < BACKLOG / 10; i++) {
            join(db.sends.sendStandard(queue, 1_000, null, standardBatch(10, "n")));
        }
    }

    @AfterAll
    static void tearDown() {
        db.close();
    }

    @Test
    void aReceiveReadsOnlyTheMessagesItClaims() {
        // The middle of a drain: the first half of the backlog already deleted.
        long half = db.count("select min(seq) + " + BACKLOG / 2 + " from message where queue_id = " + queue);
        join(db.pool
                .query("delete from message where queue_id = " + queue + " and seq < " + half)
                .execute());

        List<String> plan = explain(ClaimStatements.STANDARD, Tuple.of(queue, 2_000L, 32_000L, 0L, 10, 1_000));

        assertThat(mostRowsRead(plan)).as(String.join("\n", plan)).isLessThanOrEqualTo(MOST_ROWS_READ);
    }

    @Test
    void aDeleteBatchReadsOnlyTheMessagesItNames() {
        Long[] queueIds = new Long[10];
        Long[] seqs = new Long[10];
        Integer[] receiveCounts = new Integer[10];
        long last = db.count("select max(seq) from message where queue_id = " + queue);
        for (int i = 0; i < 10; i++) {
            queueIds[i] = queue;
            seqs[i] = last - i;
            receiveCounts[i] = 0;
        }

        List<String> plan = explain(DeleteStatements.STANDARD, Tuple.of(queueIds, seqs, receiveCounts));

        assertThat(mostRowsRead(plan)).as(String.join("\n", plan)).isLessThanOrEqualTo(MOST_ROWS_READ);
    }

    @Test
    void aReceivePlannedWhileTheTableWasSmallReadsOnlyTheMessagesItClaims(PostgresCluster cluster) {
        assertClaimPlannedWhileSmallReadsOnlyWhatItClaims(cluster, "smallplans", ClaimStatements.STANDARD);
    }

    @Test
    void aFifoDeleteLocksOnlyTheGroupsOfItsMessagesOnANewQueue() {
        long fifoQueue = fillFifo(db, "new.fifo");

        List<String> plan = lockGroupsOfTheLastTwo(db, fifoQueue);

        assertThat(mostRowsRead(plan)).as(String.join("\n", plan)).isLessThanOrEqualTo(MOST_ROWS_READ);
        assertThat(groupScansNotByGroup(plan)).as(String.join("\n", plan)).isEmpty();
    }

    @Test
    void aFifoReceiveRetryLocksOnlyTheGroupsOfItsMessages() {
        long fifoQueue = fillFifo(db, "retried.fifo");
        long last = db.count("select max(seq) from message where queue_id = " + fifoQueue);
        db.cluster.execute(
                db.database,
                "insert into receive_attempt values (" + fifoQueue + ", 'attempt', '{" + (last - 1) + "," + last
                        + "}', '{1,1}', 30000, 9000000)");

        List<String> plan = explainGeneric(db, ReceiveAttempts.LOCK_GROUPS, fifoQueue, "'attempt'", 1_000);

        assertThat(plan).as(String.join("\n", plan)).anyMatch(line -> line.contains("rows=2 loops=1"));
        assertThat(mostRowsRead(plan)).as(String.join("\n", plan)).isLessThanOrEqualTo(MOST_ROWS_READ);
        assertThat(groupScansNotByGroup(plan)).as(String.join("\n", plan)).isEmpty();
    }

    /**
     * The FIFO drain's case: a queue the planner knows (analysed) whose group rows have been updated many times (every
     * claim and delete updates its group row; a delete that moves the indexed head is not a heap-only update, so the
     * old versions stay in the index until vacuum). A lock that scans all the queue's group rows walks those versions
     * too: its cost grows with the groups and the drain. Each group row must be probed by its whole key.
     */
    @Test
    void aFifoDeleteLocksOnlyTheGroupsOfItsMessagesOnAQueueWithManyGroupVersions(PostgresCluster cluster) {
        try (PostgresFixture analysed = new PostgresFixture(cluster, "fifoplans")) {
            join(analysed.pool
                    .query("alter table message_group set (autovacuum_enabled = false)")
                    .execute());
            long fifoQueue = fillFifo(analysed, "analysed.fifo");
            join(analysed.pool.query("analyze").execute());
            for (int i = 0; i < 20; i++) {
                join(analysed.pool
                        .query("update message_group set head_seq = head_seq " + (i % 2 == 0 ? "+" : "-")
                                + " 1 where queue_id = " + fifoQueue)
                        .execute());
            }

            List<String> plan = lockGroupsOfTheLastTwo(analysed, fifoQueue);

            assertThat(mostRowsRead(plan)).as(String.join("\n", plan)).isLessThanOrEqualTo(MOST_ROWS_READ);
            assertThat(groupScansNotByGroup(plan)).as(String.join("\n", plan)).isEmpty();
        }
    }

    @Test
    void aFairReceivePlannedWhileTheTableWasSmallReadsOnlyTheMessagesItClaims(PostgresCluster cluster) {
        assertClaimPlannedWhileSmallReadsOnlyWhatItClaims(cluster, "smallfair", ClaimStatements.FAIR);
    }

    @Test
    void anUngroupedReceivePlannedWhileTheTableWasSmallReadsOnlyTheMessagesItClaims(PostgresCluster cluster) {
        assertClaimPlannedWhileSmallReadsOnlyWhatItClaims(
                cluster, "smallungrouped", ClaimStatements.UNGROUPED, ", bigint", ", " + ClaimStarts.BEGINNING);
    }

    /**
     * The middle of a drain on one replica: the oldest {@value #IN_FLIGHT} messages in flight. A claim from where this
     * replica's last claim ended ({@link ClaimStarts}) reads only what it claims; one from the beginning walks every
     * message in flight first (which every claim did before). A claim that starts past every visible message finds
     * them before its start.
     */
    @Test
    void anUngroupedReceiveFromWhereTheLastOneEndedReadsNotTheMessagesInFlight(PostgresCluster cluster) {
        try (PostgresFixture draining = new PostgresFixture(cluster, "inflight")) {
            long drained = draining.createQueue("drained", false);
            fill(draining, drained);
            long start = draining.count("select min(seq) + " + IN_FLIGHT + " from message where queue_id = " + drained);
            draining.cluster.execute(
                    draining.database,
                    "update message set visible_at = 900000, receive_count = 1 where queue_id = " + drained
                            + " and seq < " + start);

            List<String> fromStart = explain(draining, ClaimStatements.UNGROUPED, ungroupedClaim(drained, start));
            List<String> fromBeginning =
                    explain(draining, ClaimStatements.UNGROUPED, ungroupedClaim(drained, ClaimStarts.BEGINNING));
            List<RowSet<Row>> pastTheEnd = new ArrayList<>();
            long end = draining.count("select max(seq) + 1 from message where queue_id = " + drained);
            pastTheEnd.add(
                    join(draining.pool.preparedQuery(ClaimStatements.UNGROUPED).execute(ungroupedClaim(drained, end))));

            assertThat(mostRowsRead(fromStart)).as(String.join("\n", fromStart)).isLessThanOrEqualTo(MOST_ROWS_READ);
            assertThat(mostRowsRead(fromBeginning))
                    .as(String.join("\n", fromBeginning))
                    .isGreaterThanOrEqualTo(IN_FLIGHT);
            List<Long> claimed = new ArrayList<>();
            for (Row row : pastTheEnd.getFirst()) {
                claimed.add(row.getLong(0));
            }
            assertThat(claimed).hasSize(10).allMatch(seq -> seq >= start && seq < start + 10);
        }
    }

    /**
     * A fair queue with a backlog of {@value #FAIR_BACKLOG} messages in 10 groups (g0 sending every other one) and 50
     * of them in flight, g0 noisy: the claim, planned while the table held three messages, reads the candidates its
     * queue's claims recorded (each joined to its message) and the look-ahead of {@value ClaimStatements#FAIR_SCAN_LIMIT}
     * ready messages, never the backlog (before the candidates, counting the messages in flight scanned all of it).
     */
    @Test
    void aFairReceiveWithANoisyGroupReadsWhatIsInFlightAndTheLookAheadNotTheBacklog(PostgresCluster cluster) {
        try (PostgresFixture small = new PostgresFixture(cluster, "fairbacklog").withPoolSize(1)) {
            long fair = small.createQueue("fair", false);
            join(small.sends.sendStandard(fair, 1_000, null, standardBatch(3, "s")));

            List<String> plan =
                    explainPlannedEarlier(small, ClaimStatements.FAIR, CLAIM_TYPES, claimValues(fair), () -> {
                        fillGrouped(small, fair);
                        for (int i = 0; i < 5; i++) {
                            join(small.claims.claimFair(fair, 1_000, 31_000, 0, 10));
                        }
                    });

            assertThat(plan)
                    .as(String.join("\n", plan))
                    .anyMatch(line -> line.contains("on fair_candidate") && line.contains("rows=50 "));
            assertThat(mostRowsRead(plan))
                    .as(String.join("\n", plan))
                    .isLessThanOrEqualTo(ClaimStatements.FAIR_SCAN_LIMIT + MOST_ROWS_READ);
        }
    }

    /**
     * One connection, which plans the claim on its first run, while the table holds three messages (for which a
     * sequential scan and a sort are the cheapest plan), and keeps that plan for the backlog.
     */
    private static void assertClaimPlannedWhileSmallReadsOnlyWhatItClaims(
            PostgresCluster cluster, String database, String claim) {
        assertClaimPlannedWhileSmallReadsOnlyWhatItClaims(cluster, database, claim, "", "");
    }

    /** As above, for a claim with more parameters than {@link #CLAIM_TYPES}: their types and values, as SQL. */
    private static void assertClaimPlannedWhileSmallReadsOnlyWhatItClaims(
            PostgresCluster cluster, String database, String claim, String moreTypes, String moreValues) {
        try (PostgresFixture small = new PostgresFixture(cluster, database).withPoolSize(1)) {
            long fresh = small.createQueue("fresh", false);
            join(small.sends.sendStandard(fresh, 1_000, null, standardBatch(3, "s")));

            List<String> plan = explainPlannedEarlier(
                    small, claim, CLAIM_TYPES + moreTypes, claimValues(fresh) + moreValues, () -> fill(small, fresh));

            assertThat(mostRowsRead(plan)).as(String.join("\n", plan)).isLessThanOrEqualTo(MOST_ROWS_READ);
        }
    }

    @Test
    void aSweepOfDeletedQueuesPlannedWhileTheTableWasSmallReadsOnlyTheirRows(PostgresCluster cluster) {
        // The sweep runs every ten seconds on the lease holder's pool, its plans made on the first run, while the
        // table was small; measured before the fix in bench/run's drain: a nested loop that read the whole table once
        // per row of it, 4.5 s of PostgreSQL CPU in one sweep of a 20,000-message backlog.
        try (PostgresFixture small = new PostgresFixture(cluster, "smallsweep").withPoolSize(1)) {
            long live = small.createQueue("live", false);
            long deleted = small.createQueue("deleted", false);
            join(small.sends.sendStandard(live, 1_000, null, standardBatch(3, "s")));
            join(small.sends.sendStandard(deleted, 1_000, null, standardBatch(3, "d")));
            join(small.pool
                    .query("update queue set deleted_at = 1 where id = " + deleted)
                    .execute());

            for (String sweep : Sweeper.DELETED_QUEUES_ROWS) {
                List<String> plan = explainPlannedEarlier(small, sweep, null, null, () -> fill(small, live));

                assertThat(mostRowsRead(plan)).as(String.join("\n", plan)).isLessThanOrEqualTo(MOST_ROWS_READ);
            }
            assertThat(small.count("select count(*) from message where queue_id = " + live))
                    .isEqualTo(3 + (long) Sweeper.DELETED_QUEUES_ROWS.size() * BACKLOG);
        }
    }

    /**
     * A drain leaves the table empty but for its pages: the next VACUUM or ANALYZE records about no rows in many pages
     * (vacuum cannot give the pages back while other rows sit past them), and the planner then believes every queue is
     * empty, whatever it holds. Measured in bench/run before the fix: after one such autovacuum, each merged delete of
     * 100 handles read the queue's whole index (a nested loop with the table outside, 390 ms per statement), and each
     * retention sweep its whole range (0.3-0.8 s). The generic plans of the statements that name rows by handle or
     * sequence number (deletes, visibility changes, expiry sweeps, standard and FIFO), made in that state, must still
     * read only the rows they name.
     */
    @Test
    void statementsPlannedWhileTheTableLookedEmptyReadOnlyTheRowsTheyName(PostgresCluster cluster) {
        try (PostgresFixture emptied = new PostgresFixture(cluster, "emptied").withPoolSize(1)) {
            long drained = emptied.createQueue("drained", false);
            fill(emptied, drained);
            long keeps = emptied.createQueue("keeps", false);
            join(emptied.sends.sendStandard(keeps, 1_000, null, standardBatch(1, "k")));
            join(emptied.pool
                    .query("delete from message where queue_id = " + drained)
                    .execute());
            join(emptied.pool.query("vacuum analyze message").execute());
            assertThat(emptied.count("select reltuples::bigint from pg_class where relname = 'message'"))
                    .as("the statistics say the table is (about) empty")
                    .isLessThanOrEqualTo(1);
            long busy = emptied.createQueue("busy", false);
            fill(emptied, busy);
            long last = emptied.count("select max(seq) from message where queue_id = " + busy);

            List<String> delete = explainGeneric(
                    emptied,
                    DeleteStatements.STANDARD,
                    new Long[] {busy, busy},
                    new Long[] {last - 1, last},
                    new Integer[] {0, 0});
            assertThat(mostRowsRead(delete)).as(String.join("\n", delete)).isLessThanOrEqualTo(MOST_ROWS_READ);
            assertThat(delete).as("both messages deleted").anyMatch(line -> line.contains("rows=2 loops=1"));

            List<String> visibility = explainGeneric(
                    emptied,
                    VisibilityStatements.STANDARD,
                    busy,
                    new Long[] {last - 1, last},
                    new Integer[] {0, 0},
                    new Long[] {5_000L, 5_000L},
                    0,
                    43_200_000L);
            assertThat(mostRowsRead(visibility))
                    .as(String.join("\n", visibility))
                    .isLessThanOrEqualTo(MOST_ROWS_READ);

            List<String> sweep = explainGeneric(emptied, Sweeper.DELETE_EXPIRED_STANDARD, busy, 0);
            assertThat(mostRowsRead(sweep))
                    .as(String.join("\n", sweep))
                    .isLessThanOrEqualTo(Sweeper.WINDOW + MOST_ROWS_READ);

            long fifoQueue = fillFifo(emptied, "busy.fifo");
            long lastFifo = emptied.count("select max(seq) from message where queue_id = " + fifoQueue);
            Long[] lastTwo = {lastFifo - 1, lastFifo};
            emptied.cluster.execute(
                    emptied.database,
                    "insert into receive_attempt values (" + fifoQueue + ", 'attempt', '{" + (lastFifo - 1) + ","
                            + lastFifo + "}', '{0,0}', 30000, 9000000)");
            for (List<String> plan : List.of(
                    lockGroupsOfTheLastTwo(emptied, fifoQueue),
                    explainGeneric(emptied, ReceiveAttempts.LOCK_GROUPS, fifoQueue, "'attempt'", 1_000),
                    explainGeneric(emptied, ReceiveAttempts.REPLAY, fifoQueue, "'attempt'", 0, 43_200_000L),
                    explainGeneric(emptied, DeleteStatements.FIFO, fifoQueue, lastTwo, new Integer[] {0, 0}, 0),
                    explainGeneric(emptied, Sweeper.DELETE_EXPIRED_FIFO, fifoQueue, lastTwo, 5_000))) {
                assertThat(mostRowsRead(plan)).as(String.join("\n", plan)).isLessThanOrEqualTo(MOST_ROWS_READ);
            }
        }
    }

    @Test
    void theseTestsConnectWithTheServersSessionSettings() throws IOException {
        Properties server = new Properties();
        try (InputStream in = StatementPlansTest.class.getResourceAsStream("/application.properties")) {
            server.load(in);
        }
        String prefix = "quarkus.datasource.reactive.additional-properties.";
        Map<String, String> settings = new HashMap<>();
        for (String name : server.stringPropertyNames()) {
            if (name.startsWith(prefix)) {
                settings.put(name.substring(prefix.length()), server.getProperty(name));
            }
        }

        assertThat(settings).isEqualTo(PostgresRig.SERVER_SESSION);
    }

    /** A FIFO queue with {@value #BACKLOG} messages in {@value #GROUPS} groups; returns its id. */
    private static long fillFifo(PostgresFixture db, String name) {
        long queue = db.createQueue(name, true);
        for (int batch = 0; batch < BACKLOG / 10; batch++) {
            List<OutgoingMessage> messages = new ArrayList<>(10);
            for (int i = 0; i < 10; i++) {
                int n = batch * 10 + i;
                messages.add(fifo("g" + n % GROUPS, "d" + n, "m" + n));
            }
            join(db.sends.sendFifo(queue, 1_000, null, 0, 300_000, messages, null));
        }
        return queue;
    }

    /** {@value #FAIR_BACKLOG} messages with groups on a standard queue: g0 every other one, the rest over g1 to g9. */
    private static void fillGrouped(PostgresFixture db, long queue) {
        for (int batch = 0; batch < FAIR_BACKLOG / 10; batch++) {
            List<OutgoingMessage> messages = new ArrayList<>(10);
            for (int i = 0; i < 10; i++) {
                int n = batch * 10 + i;
                String group = n % 2 == 0 ? "g0" : "g" + (1 + n / 2 % 9);
                messages.add(PostgresFixture.outgoing(0, group, null, "m" + n));
            }
            join(db.sends.sendStandard(queue, 1_000, null, messages));
        }
    }

    /** The plan of {@link DeleteStatements#LOCK_GROUPS_OF} for the queue's last two messages (two groups). */
    private static List<String> lockGroupsOfTheLastTwo(PostgresFixture db, long queue) {
        long last = db.count("select max(seq) from message where queue_id = " + queue);
        return explainGeneric(db, DeleteStatements.LOCK_GROUPS_OF, queue, new Long[] {last - 1, last});
    }

    /** The plan's scans of {@code message_group} whose index condition does not name the group (a range of groups). */
    private static List<String> groupScansNotByGroup(List<String> plan) {
        List<String> found = new ArrayList<>();
        String scan = null;
        for (String line : plan) {
            if (scan != null && line.contains("Index Cond:")) {
                if (!line.contains("group_id =")) {
                    found.add(scan + " / " + line.trim());
                }
                scan = null;
            } else if (scan != null && line.contains("->")) {
                found.add(scan);
                scan = null;
            }
            if (line.matches(".*Scan.* on message_group .*")) {
                scan = line.trim();
            }
        }
        if (scan != null) {
            found.add(scan);
        }
        return found;
    }

    private static List<String> explain(String sql, Tuple arguments) {
        return explain(db, sql, arguments);
    }

    /** The plan PostgreSQL ran for the statement with these values, as text; the statement's changes rolled back. */
    private static List<String> explain(PostgresFixture db, String sql, Tuple arguments) {
        return explainRolledBack(
                db,
                connection -> connection
                        .preparedQuery("explain (analyze, costs off) " + sql)
                        .execute(arguments));
    }

    /**
     * As {@link #explain}, of the generic plan: the server's pool runs each statement's generic plan (made without its
     * values), while an EXPLAIN given values through the extended protocol is planned for those values. So the
     * statement is prepared by name (its parameter types inferred) and EXPLAIN runs {@code EXECUTE} of it with the
     * values written out.
     */
    private static List<String> explainGeneric(PostgresFixture db, String sql, Object... values) {
        List<String> literals = new ArrayList<>();
        for (Object value : values) {
            literals.add(
                    value instanceof Object[] array
                            ? "'{"
                                    + String.join(
                                            ",",
                                            Arrays.stream(array)
                                                    .map(String::valueOf)
                                                    .toList()) + "}'"
                            : String.valueOf(value));
        }
        return explainRolledBack(
                db,
                connection -> connection
                        .query("prepare under_test as " + sql)
                        .execute()
                        .compose(prepared -> connection
                                .query("explain (analyze, costs off) execute under_test(" + String.join(", ", literals)
                                        + ")")
                                .execute())
                        .eventually(
                                () -> connection.query("deallocate under_test").execute()));
    }

    /** The lines of the plan {@code explain} gives, run in a transaction that is rolled back. */
    private static List<String> explainRolledBack(
            PostgresFixture db, Function<SqlConnection, Future<RowSet<Row>>> explain) {
        return join(db.pool.withConnection(connection -> connection
                .query("begin")
                .execute()
                .compose(begun -> explain.apply(connection))
                .compose(rows -> {
                    List<String> lines = new ArrayList<>();
                    for (Row row : rows) {
                        lines.add(row.getString(0));
                    }
                    return connection.query("rollback").execute().map(done -> lines);
                })));
    }

    /** {@link ClaimStatements#UNGROUPED}'s arguments: a claim of 10 at 2,000 from {@code start} on. */
    private static Tuple ungroupedClaim(long queue, long start) {
        return Tuple.of(queue, 2_000L, 32_000L, 0L, 10, 1_000, start);
    }

    private static String claimValues(long queue) {
        return queue + ", 2000, 32000, 0, 10, 1000";
    }

    private static void fill(PostgresFixture db, long queue) {
        for (int i = 0; i < BACKLOG / 10; i++) {
            join(db.sends.sendStandard(queue, 1_000, null, standardBatch(10, "f")));
        }
    }

    /**
     * The plan a session made for the statement on its first run and kept (generic plans, as the server's sessions
     * have them), run again after {@code meanwhile} (EXPLAIN ANALYZE of an SQL-level prepared statement, which runs
     * the plan cached in it: an EXPLAIN of the statement itself would plan it anew); both runs rolled back. The
     * fixture's pool must hold one connection. {@code types} and {@code values} are the statement's parameters as SQL,
     * or null when it has none.
     */
    private static List<String> explainPlannedEarlier(
            PostgresFixture db, String sql, String types, String values, Runnable meanwhile) {
        String name = "planned_earlier";
        String execute = "execute " + name + (values == null ? "" : "(" + values + ")");
        join(db.pool.withConnection(connection -> connection
                .query("prepare " + name + (types == null ? "" : "(" + types + ")") + " as " + sql)
                .execute()
                .compose(prepared -> connection.query("begin").execute())
                .compose(begun -> connection.query(execute).execute())
                .compose(ran -> connection.query("rollback").execute())));
        meanwhile.run();
        return explainRolledBack(
                db,
                connection -> connection
                        .query("explain (analyze, costs off) " + execute)
                        .execute()
                        .eventually(() -> connection.query("deallocate " + name).execute()));
    }

    private static long mostRowsRead(List<String> plan) {
        long most = 0;
        long node = 0;
        for (String line : plan) {
            Matcher actual = ACTUAL.matcher(line);
            if (actual.find()) {
                node = Long.parseLong(actual.group(1)) * Long.parseLong(actual.group(2));
                most = Math.max(most, node);
            }
            Matcher removed = REMOVED.matcher(line);
            if (removed.find()) {
                most = Math.max(most, node + Long.parseLong(removed.group(1)));
            }
        }
        return most;
    }
}
