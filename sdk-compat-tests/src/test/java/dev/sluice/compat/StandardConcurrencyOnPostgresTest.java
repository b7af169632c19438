package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.postgres.testkit.PostgresCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many consumers on one standard queue of the packaged server in PostgreSQL mode, through SDK v2 (JSON): receives and
 * deletes made while others are in the database are merged into one statement each (README, PostgreSQL backend), and
 * the split must still hand every message to exactly one receive within its visibility timeout, and every message must
 * be received. {@code pg_stat_statements} proves the merging happened: fewer claim and delete statements ran than
 * ReceiveMessage and DeleteMessageBatch requests were made.
 */
@DisplayName("Standard consumers on PostgreSQL: merged receives and deletes never share a message, and lose none")
class StandardConcurrencyOnPostgresTest {
    private static final int MESSAGES = 2_000;
    private static final int CONSUMERS = 16;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void mergedReceivesNeverShareAMessageAndEveryMessageIsReceived() throws Exception {
        PostgresCluster cluster = PostgresCluster.shared();
        String database = cluster.createDatabase("standard_concurrency");
        try (SluiceProcess server = SluiceServer.startOwn(
                        "StandardConcurrencyOnPostgresTest", OnPostgres.serverJvmArgs(cluster, database));
                SdkV2Port sqs = new SdkV2Port(server.endpoint())) {
            String url = sqs.createQueue("merged-consumers", Map.of("VisibilityTimeout", "300"), Map.of());
            List<SendBatchEntry> batch = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                batch.add(new SendBatchEntry("e" + i, OutgoingMessage.of("message " + i)));
                if (batch.size() == 10) {
                    assertThat(sqs.sendMessageBatch(url, batch).failed()).isEmpty();
                    batch.clear();
                }
            }
            long claimsBefore = cluster.calls(database, "%skip locked%");
            long deletesBefore = cluster.calls(database, "%delete from message m%using unnest%");

            Set<String> seen = ConcurrentHashMap.newKeySet();
            var violations = new ConcurrentLinkedQueue<String>();
            AtomicInteger receives = new AtomicInteger();
            AtomicInteger deletes = new AtomicInteger();
            AtomicInteger maxPerReply = new AtomicInteger();
            var start = new CountDownLatch(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            ExecutorService pool = Executors.newFixedThreadPool(CONSUMERS);
            List<Future<?>> consumers = new ArrayList<>();
            for (int c = 0; c < CONSUMERS; c++) {
                consumers.add(pool.submit(() -> {
                    try (SdkV2Port port = new SdkV2Port(server.endpoint())) {
                        start.await();
                        while (seen.size() < MESSAGES && System.nanoTime() < deadline && violations.isEmpty()) {
                            int max = 1 + ThreadLocalRandom.current().nextInt(10);
                            var messages = port.receiveMessage(
                                    url,
                                    ReceiveRequest.upTo(max)
                                            .waitTimeSeconds(1)
                                            .attributeNames("ApproximateReceiveCount"));
                            receives.incrementAndGet();
                            maxPerReply.accumulateAndGet(messages.size(), Math::max);
                            if (messages.size() > max) {
                                violations.add("asked for " + max + ", got " + messages.size());
                            }
                            List<DeleteEntry> entries = new ArrayList<>();
                            for (var message : messages) {
                                if (!seen.add(message.messageId())) {
                                    violations.add(message.body() + " was received twice within its visibility");
                                }
                                if (message.approximateReceiveCount() != 1) {
                                    violations.add(message.body() + " was delivered more than once");
                                }
                                entries.add(new DeleteEntry("d" + entries.size(), message.receiptHandle()));
                            }
                            if (!entries.isEmpty()) {
                                BatchResult deleted = port.deleteMessageBatch(url, entries);
                                deletes.incrementAndGet();
                                if (!deleted.failed().isEmpty()) {
                                    violations.add("deletes failed: " + deleted.failed());
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (var consumer : consumers) {
                consumer.get(150, TimeUnit.SECONDS);
            }
            pool.shutdown();

            assertThat(violations).isEmpty();
            assertThat(seen).hasSize(MESSAGES);
            assertThat(maxPerReply.get()).isGreaterThan(1);
            assertThat(sqs.getQueueAttributes(url, SqsSuiteSupport.COUNTS))
                    .containsEntry("ApproximateNumberOfMessages", "0")
                    .containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
            long claims = cluster.calls(database, "%skip locked%") - claimsBefore;
            long deleteStatements = cluster.calls(database, "%delete from message m%using unnest%") - deletesBefore;
            assertThat(claims)
                    .as("claim statements for %d ReceiveMessage requests", receives.get())
                    .isLessThan(receives.get());
            assertThat(deleteStatements)
                    .as("delete statements for %d DeleteMessageBatch requests", deletes.get())
                    .isLessThan(deletes.get());
        }
    }
}
