package dev.sluice.postgres;

import static dev.sluice.postgres.PostgresFixture.fifo;
import static dev.sluice.postgres.PostgresFixture.join;
import static dev.sluice.postgres.PostgresFixture.standardBatch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.postgres.testkit.PostgresCluster;
import dev.sluice.postgres.testkit.PostgresExtension;
import dev.sluice.queues.IdSource;
import dev.sluice.queues.NewMessage;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.queues.testkit.FakeClock;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Round trips per operation, counted on the wire by {@link RoundTripCounter} with a one-connection pool: the budget
 * of the design is one for a send batch of 10, one for a receive, one for a delete batch (so receive + delete is two),
 * FIFO included, where the group lock makes some operations two statements in one pipelined transaction. Each
 * operation runs once before it is counted, so the connection has its statements prepared (cached), as a server's
 * connections have after their first requests.
 */
@ExtendWith(PostgresExtension.class)
class RoundTripsTest {
    private static final long ALL = Long.MIN_VALUE;
    private static final long TWELVE_HOURS = 43_200_000;
    private static PostgresFixture direct;
    private static RoundTripCounter counter;
    private static PostgresFixture counted;
    private static final Map<String, Integer> FIGURES = new LinkedHashMap<>();

    @BeforeAll
    static void setUp(PostgresCluster cluster) throws IOException {
        direct = new PostgresFixture(cluster, "round_trips");
        counter = new RoundTripCounter(cluster.port());
        counted = direct.through(counter.port()).withPoolSize(1);
    }

    @AfterAll
    static void tearDown() throws IOException {
        FIGURES.forEach((operation, trips) -> System.out.println("round trips: " + operation + " = " + trips));
        counted.close();
        counter.close();
        direct.close();
    }

    /** Runs the operation once to prepare its statements ({@code run} 0), then again counted ({@code run} 1). */
    private static <T> int roundTrips(String operation, IntFunction<Future<T>> run) {
        join(run.apply(0));
        counter.reset();
        join(run.apply(1));
        FIGURES.put(operation, counter.roundTrips());
        return counter.roundTrips();
    }

    @Test
    void standardSendReceiveDeleteAndVisibilityTakeOneRoundTripEach() {
        long queue = direct.createQueue("standard_trips", false);
        assertThat(roundTrips(
                        "SendMessageBatch of 10, standard",
                        run -> counted.sends.sendStandard(queue, 0, "AIDA", standardBatch(10, "s"))))
                .isEqualTo(1);
        List<ClaimedRow> claimed = new ArrayList<>();
        assertThat(roundTrips(
                        "ReceiveMessage of 10, standard",
                        run -> counted.claims
                                .claimStandard(queue, 1_000, 31_000, ALL, 10)
                                .onSuccess(claimed::addAll)))
                .isEqualTo(1);
        assertThat(claimed).hasSize(20);
        List<VisibilityChange> changes = claimed.stream()
                .limit(10)
                .map(row -> new VisibilityChange(new Handle(row.seq(), row.receiveCount()), 60_000))
                .toList();
        assertThat(roundTrips(
                        "ChangeMessageVisibilityBatch of 10, standard",
                        run -> counted.visibility.changeStandard(queue, 2_000, TWELVE_HOURS, changes)))
                .isEqualTo(1);
        List<Handle> handles = claimed.stream()
                .map(row -> new Handle(row.seq(), row.receiveCount()))
                .toList();
        assertThat(roundTrips(
                        "DeleteMessageBatch of 10, standard",
                        run -> counted.deletes.deleteStandard(queue, handles.subList(run * 10, run * 10 + 10))))
                .isEqualTo(1);
        assertThat(roundTrips("PurgeQueue", run -> counted.purges.purge(queue, 3_000)))
                .isEqualTo(1);
    }

    @Test
    void fifoSendReceiveDeleteAndVisibilityTakeOneRoundTripEach() {
        long queue = direct.createQueue("fifo_trips.fifo", true);
        int[] sent = {0};
        assertThat(roundTrips("SendMessageBatch of 10, FIFO (10 groups, dedup)", run -> {
                    List<OutgoingMessage> batch = new ArrayList<>();
                    for (int i = 0; i < 10; i++, sent[0]++) {
                        batch.add(fifo("g" + i, "d" + sent[0], "f" + sent[0]));
                    }
                    return counted.sends.sendFifo(queue, 0, "AIDA", 0, 300_000, batch, null);
                }))
                .isEqualTo(1);
        List<ClaimedRow> claimed = new ArrayList<>();
        assertThat(roundTrips(
                        "ReceiveMessage of 10, FIFO",
                        run -> counted.claims
                                .claimFifo(queue, 1_000, 31_000, ALL, 10)
                                .onSuccess(claimed::addAll)))
                .isEqualTo(1);
        assertThat(claimed).as("two claims of 10").hasSize(20);
        List<Handle> handles = claimed.stream()
                .map(row -> new Handle(row.seq(), row.receiveCount()))
                .toList();
        List<VisibilityChange> changes = handles.stream()
                .map(handle -> new VisibilityChange(handle, 60_000))
                .toList();
        assertThat(roundTrips(
                        "ChangeMessageVisibilityBatch of 10, FIFO",
                        run -> counted.visibility.changeFifo(
                                queue, 2_000, TWELVE_HOURS, changes.subList(run * 10, run * 10 + 10))))
                .isEqualTo(1);
        assertThat(roundTrips(
                        "DeleteMessageBatch of 10, FIFO",
                        run -> counted.deletes.deleteFifo(queue, 3_000, handles.subList(run * 10, run * 10 + 10))))
                .isEqualTo(1);
    }

    @Test
    void theCounterSeesTheRoundTripsOfAnUnpipelinedTransaction() {
        int trips = roundTrips(
                "Vert.x withTransaction + one query (for comparison)",
                run -> counted.pool.withTransaction(
                        connection -> connection.query("select 1").execute()));
        assertThat(trips)
                .as("BEGIN is awaited before the query, the query before COMMIT")
                .isGreaterThanOrEqualTo(2);
    }

    /**
     * The same budget through {@link PostgresQueues}, the backend the server runs: with the queue's row cached (after
     * its first use on the replica), SendMessageBatch of 10, ReceiveMessage of 10 and DeleteMessageBatch of 10 take
     * one round trip each, with a redrive policy too (the dead-letter move rides in the claim's transaction).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"standard", "fifo", "redriven"})
    void theBackendSendsReceivesAndDeletesABatchInOneRoundTripEach(String kind) {
        FakeClock clock = new FakeClock();
        PostgresQueues queues =
                new PostgresQueues(counted.pool, clock, clock, IdSource.random(), Strictness.LENIENT, "us-east-1");
        boolean fifo = kind.equals("fifo");
        QueueKey dlq = new QueueKey("us-east-1", "000000000000", "trips-dlq-" + kind);
        join(Future.fromCompletionStage(queues.createQueue(dlq, Map.of(), Map.of())));
        Map<String, String> attributes = switch (kind) {
            case "fifo" -> Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true");
            case "redriven" ->
                Map.of(
                        "RedrivePolicy",
                        "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:" + dlq.name()
                                + "\",\"maxReceiveCount\":\"5\"}");
            default -> Map.of();
        };
        QueueKey queue = new QueueKey("us-east-1", "000000000000", "trips-" + kind + (fifo ? ".fifo" : ""));
        join(Future.fromCompletionStage(queues.createQueue(queue, attributes, Map.of())));
        ReceiveOptions ten = new ReceiveOptions(10, Optional.empty(), Optional.empty());
        List<String> handles = new ArrayList<>();
        IntFunction<List<NewMessage>> batch = run -> IntStream.range(0, 10)
                .mapToObj(i -> new NewMessage(
                        "m" + run + "-" + i, Map.of(), Map.of(), Optional.empty(), "AIDA", fifo ? "g" + i : null, null))
                .toList();

        assertThat(roundTrips(
                        "SendMessageBatch of 10 through PostgresQueues, " + kind,
                        run -> Future.fromCompletionStage(queues.sendBatch(queue, batch.apply(run)))))
                .isEqualTo(1);
        assertThat(roundTrips(
                        "ReceiveMessage of 10 through PostgresQueues, " + kind,
                        run -> Future.fromCompletionStage(queues.receive(queue, ten))
                                .onSuccess(received -> received.forEach(m -> handles.add(m.receiptHandle())))))
                .isEqualTo(1);
        assertThat(handles).hasSize(20);
        assertThat(roundTrips(
                        "DeleteMessageBatch of 10 through PostgresQueues, " + kind,
                        run -> Future.fromCompletionStage(
                                queues.deleteMessages(queue, handles.subList(run * 10, run * 10 + 10)))))
                .isEqualTo(1);
    }
}
