package dev.sluice.postgres;

import static dev.sluice.postgres.PostgresFixture.fifo;
import static dev.sluice.postgres.PostgresFixture.join;
import static dev.sluice.postgres.PostgresFixture.kib;

import dev.sluice.postgres.testkit.PostgresCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * What the hot path writes to PostgreSQL's WAL per 1 KiB message: {@code pg_current_wal_lsn()} before and after N
 * messages go through send (batches of 10, and single sends), receive (10 per claim) and delete (batches of 10), on
 * standard and FIFO queues (10 groups), on the test cluster (full_page_writes on; one CHECKPOINT before each queue's
 * sends, so the full-page images a real server writes after its checkpoints are in the figures). Run by hand:
 * {@code java -cp target/classes:target/test-classes:<test class path> dev.sluice.postgres.WalCost [N]}.
 */
public final class WalCost {
    private WalCost() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        try (PostgresCluster cluster = PostgresCluster.start();
                PostgresFixture db = new PostgresFixture(cluster, "wal")) {
            standard(db, n, 10);
            standard(db, n / 10, 1);
            fifoQueue(db, n);
        }
    }

    private static void standard(PostgresFixture db, int n, int batch) {
        long queue = db.createQueue("wal_standard_" + batch, false);
        db.cluster.execute(db.database, "checkpoint");
        measure(db, "standard send, batches of " + batch, n, batch, i -> {
            List<OutgoingMessage> messages = new ArrayList<>(batch);
            for (int j = 0; j < batch; j++) {
                messages.add(PostgresFixture.outgoing(0, null, null, kib(i + j)));
            }
            join(db.sends.sendStandard(queue, 1, "AIDAEXAMPLE", messages));
        });
        List<Handle> handles = new ArrayList<>(n);
        measure(
                db,
                "standard receive, 10 per claim",
                n,
                10,
                i -> join(db.claims.claimStandard(queue, 2, 30_002, 0, 10))
                        .forEach(row -> handles.add(new Handle(row.seq(), row.receiveCount()))));
        measure(
                db,
                "standard delete, batches of 10",
                n,
                10,
                i -> join(db.deletes.deleteStandard(queue, handles.subList(i, Math.min(i + 10, handles.size())))));
    }

    private static void fifoQueue(PostgresFixture db, int n) {
        long queue = db.createQueue("wal.fifo", true);
        db.cluster.execute(db.database, "checkpoint");
        measure(db, "FIFO send, batches of 10 (10 groups, dedup)", n, 10, i -> {
            List<OutgoingMessage> messages = new ArrayList<>(10);
            for (int j = 0; j < 10; j++) {
                messages.add(fifo("group" + j, "dedup" + (i + j), kib(i + j)));
            }
            join(db.sends.sendFifo(queue, 1, "AIDAEXAMPLE", 0, 300_000, messages, null));
        });
        // A group is blocked while its messages are in flight: receive and delete go together.
        measure(db, "FIFO receive 10 + delete them", n, 10, i -> {
            List<Handle> handles = join(db.claims.claimFifo(queue, 2, 30_002, 0, 10)).stream()
                    .map(row -> new Handle(row.seq(), row.receiveCount()))
                    .toList();
            join(db.deletes.deleteFifo(queue, 3, handles));
        });
    }

    /**
     * WAL written by {@code n / per} steps, per message. No checkpoint in between: a message is sent, received and
     * deleted within one checkpoint interval as a rule, so its pages get no second full-page image.
     */
    private static void measure(PostgresFixture db, String phase, int n, int per, IntConsumer step) {
        long before = db.count("select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint");
        for (int i = 0; i < n; i += per) {
            step.accept(i);
        }
        long after = db.count("select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint");
        System.out.printf("%-46s %7d messages  %8.0f WAL bytes/message%n", phase, n, (after - before) / (double) n);
    }
}
