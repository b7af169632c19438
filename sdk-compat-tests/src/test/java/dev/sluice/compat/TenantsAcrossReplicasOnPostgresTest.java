package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.postgres.testkit.PostgresCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Two packaged servers (replicas A and B) in the PostgreSQL mode on one database, in the sigv4 auth mode: tenants and
 * keys are the database's, so a key created through A's admin API signs requests to B at once, a key disabled through
 * A is refused by B on the very next request (InvalidClientTokenId, as AWS answers an unknown or inactive key), and a
 * tenant deleted through A loses its keys and its queues on both.
 */
class TenantsAcrossReplicasOnPostgresTest {
    private static final String TOKEN = "replicas-admin-token";
    private static final String ACCOUNT = "333333333333";

    private static String database;
    private static SluiceProcess replicaA;
    private static SluiceProcess replicaB;
    private static AdminHttp adminA;
    private static AdminHttp adminB;

    /** Two JVMs start, side by side: on a loaded machine that takes longer than the suite's default minute. */
    @BeforeAll
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    static void startTwoReplicas() {
        database = PostgresCluster.shared().createDatabase("replicas");
        List<String> options = List.of(
                "-Dsluice.storage=postgres",
                "-Dquarkus.datasource.reactive.url=" + PostgresCluster.shared().reactiveUrl(database),
                "-Dquarkus.datasource.username=" + PostgresCluster.USER,
                "-Dsluice.auth.mode=sigv4",
                "-Dsluice.admin.token=" + TOKEN);
        CompletableFuture<SluiceProcess> startingB = CompletableFuture.supplyAsync(
                () -> SluiceServer.startOwn(TenantsAcrossReplicasOnPostgresTest.class.getSimpleName() + "-b", options));
        replicaA = SluiceServer.startOwn(TenantsAcrossReplicasOnPostgresTest.class.getSimpleName() + "-a", options);
        replicaB = startingB.join();
        adminA = new AdminHttp(replicaA.endpoint());
        adminB = new AdminHttp(replicaB.endpoint());
    }

    @AfterAll
    static void stop() {
        for (SluiceProcess replica : new SluiceProcess[] {replicaA, replicaB}) {
            if (replica != null) {
                replica.close();
            }
        }
    }

    private static SqsClient sqs(SluiceProcess replica, JsonNode key) {
        return SqsClient.builder()
                .endpointOverride(replica.endpoint())
                .region(Region.of(Credentials.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        key.get("accessKeyId").asText(),
                        key.get("secretAccessKey").asText())))
                .httpClientBuilder(Apache5HttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static AdminHttp.Reply operator(AdminHttp replica, String method, String path, String body) {
        AdminHttp.Reply reply = replica.withToken(TOKEN, method, path, body);
        assertThat(reply.status()).as(method + " " + path + ": " + reply.body()).isBetween(200, 299);
        return reply;
    }

    private static void assertRefused(SqsClient client) {
        assertThatThrownBy(client::listQueues)
                .isInstanceOfSatisfying(
                        AwsServiceException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId"));
    }

    private static long liveQueues(String accountId) throws SQLException {
        try (Connection connection = PostgresCluster.shared().connect(database);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "select count(*) from queue where deleted_at is null and account_id = '" + accountId + "'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void aTenantAndKeysChangedThroughOneReplicaAreTheOthersAtOnce() throws SQLException {
        operator(adminA, "POST", "/admin/tenants", "{\"accountId\": \"" + ACCOUNT + "\", \"name\": \"team\"}");
        JsonNode first = operator(adminA, "POST", "/admin/tenants/" + ACCOUNT + "/keys", null)
                .json();

        // Created through A, used on B at once (B reads a key it does not know yet before refusing it).
        try (SqsClient onB = sqs(replicaB, first);
                SqsClient onA = sqs(replicaA, first)) {
            String queueUrl = onB.createQueue(r -> r.queueName("jobs")).queueUrl();
            assertThat(queueUrl).endsWith("/" + ACCOUNT + "/jobs");
            onB.sendMessage(r -> r.queueUrl(queueUrl).messageBody("from B"));
            assertThat(onA.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(5))
                            .messages())
                    .extracting(m -> m.body())
                    .containsExactly("from B");
            JsonNode tenantOnB =
                    operator(adminB, "GET", "/admin/tenants/" + ACCOUNT, null).json();
            assertThat(tenantOnB.get("name").asText()).isEqualTo("team");

            // Disabled through A: refused by both on the very next request.
            operator(adminA, "POST", "/admin/keys/" + first.get("accessKeyId").asText() + "/disable", null);
            assertRefused(onB);
            assertRefused(onA);
        }

        JsonNode second = operator(adminA, "POST", "/admin/tenants/" + ACCOUNT + "/keys", null)
                .json();
        try (SqsClient onB = sqs(replicaB, second);
                SqsClient onA = sqs(replicaA, second)) {
            assertThat(onB.listQueues().queueUrls()).hasSize(1);

            // Deleted through A: its keys are refused by both, its queues are gone.
            operator(adminA, "DELETE", "/admin/tenants/" + ACCOUNT, null);
            assertRefused(onB);
            assertRefused(onA);
            assertThat(liveQueues(ACCOUNT)).isZero();
            assertThat(adminB.withToken(TOKEN, "GET", "/admin/tenants/" + ACCOUNT, null)
                            .status())
                    .isEqualTo(404);
        }

        // The account id is free again on B: created there, it owns no queue of the earlier owner.
        operator(adminB, "POST", "/admin/tenants", "{\"accountId\": \"" + ACCOUNT + "\"}");
        JsonNode third = operator(adminB, "POST", "/admin/tenants/" + ACCOUNT + "/keys", null)
                .json();
        try (SqsClient onA = sqs(replicaA, third)) {
            assertThat(onA.listQueues().queueUrls()).isEmpty();
        }
    }

    /**
     * A tenant's maxMessages holds under concurrent sends through both replicas: the account holds 20,000 messages
     * (written into the database) against a limit of 20,100, and sixteen SDK clients, eight per replica, each first
     * send a batch of ten all at once (160 messages) while the test holds the message table locked against inserts
     * until all sixteen are waiting in PostgreSQL, then single messages until each has been refused three times. The
     * account then holds exactly the limit (the last refusals were single sends against a full account), every
     * acknowledged message is stored, and every refusal is the embedded engine's: OverLimit with 403. (With the count
     * read before the send, all sixteen counted 20,000 while waiting, and all 160 were stored.)
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aTenantsMessageLimitHoldsUnderConcurrentSendsThroughBothReplicas() throws Exception {
        String account = "444444444444";
        int prefilled = 20_000;
        int limit = prefilled + 100;
        operator(
                adminA,
                "POST",
                "/admin/tenants",
                "{\"accountId\": \"" + account + "\", \"name\": \"limited\", \"maxMessages\": " + limit + "}");
        JsonNode key = operator(adminA, "POST", "/admin/tenants/" + account + "/keys", null)
                .json();
        List<SqsClient> clients = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            clients.add(sqs(i % 2 == 0 ? replicaA : replicaB, key));
        }
        String queueUrl =
                clients.getFirst().createQueue(r -> r.queueName("limited")).queueUrl();
        prefill(account, prefilled);
        // Every client's connection open and its key known to its replica before the burst.
        clients.forEach(client -> client.getQueueUrl(r -> r.queueName("limited")));
        AtomicLong acknowledged = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<List<AwsServiceException>>> senders = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(clients.size());
        for (int i = 0; i < clients.size(); i++) {
            SqsClient client = clients.get(i);
            senders.add(CompletableFuture.supplyAsync(
                    () -> {
                        List<AwsServiceException> refusals = new ArrayList<>();
                        try {
                            start.await();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                        for (int n = 0; refusals.size() < 3; n++) {
                            try {
                                if (n == 0) {
                                    client.sendMessageBatch(r -> r.queueUrl(queueUrl)
                                            .entries(IntStream.range(0, 10)
                                                    .mapToObj(e -> SendMessageBatchRequestEntry.builder()
                                                            .id("e" + e)
                                                            .messageBody("batch")
                                                            .build())
                                                    .toList()));
                                    acknowledged.addAndGet(10);
                                } else {
                                    int id = n;
                                    client.sendMessage(r -> r.queueUrl(queueUrl).messageBody("single " + id));
                                    acknowledged.incrementAndGet();
                                }
                            } catch (AwsServiceException refused) {
                                refusals.add(refused);
                            }
                        }
                        return refusals;
                    },
                    threads));
        }
        try (Connection blocker = PostgresCluster.shared().connect(database);
                Statement statement = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            // Reads pass this lock, inserts wait for it.
            statement.execute("lock table message in share row exclusive mode");
            start.countDown();
            awaitWaitingInDatabase(16);
            blocker.commit();
        }
        List<AwsServiceException> refusals = new ArrayList<>();
        for (CompletableFuture<List<AwsServiceException>> sender : senders) {
            refusals.addAll(sender.get(90, TimeUnit.SECONDS));
        }
        threads.shutdown();
        clients.forEach(SqsClient::close);

        assertThat(refusals).hasSize(16 * 3).allSatisfy(refused -> {
            assertThat(refused.awsErrorDetails().errorCode()).as("%s", refused).isEqualTo("OverLimit");
            assertThat(refused.statusCode()).as("%s", refused).isEqualTo(403);
        });
        assertThat(storedMessages(account)).isEqualTo(limit);
        assertThat(acknowledged.get()).isEqualTo(limit - prefilled);
    }

    /** Waits until {@code count} of the replicas' sessions wait for a lock (the blocked sends). */
    private static void awaitWaitingInDatabase(int count) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection connection = PostgresCluster.shared().connect(database);
                Statement statement = connection.createStatement()) {
            while (true) {
                try (ResultSet rows = statement.executeQuery("select count(*) from pg_stat_activity"
                        + " where datname = current_database() and wait_event_type = 'Lock'")) {
                    rows.next();
                    if (rows.getLong(1) >= count) {
                        return;
                    }
                }
                assertThat(System.nanoTime())
                        .as("%d sends waiting in PostgreSQL", count)
                        .isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    /** Writes {@code count} messages into the account's one queue, as sends would have stored them. */
    private static void prefill(String accountId, int count) throws SQLException {
        try (Connection connection = PostgresCluster.shared().connect(database);
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("insert into message (queue_id, seq, message_id, visible_at, sent_at, enqueued_at,"
                    + " body) select q.id, nextval('message_seq'), gen_random_uuid(), t.now, t.now, t.now, 'prefilled'"
                    + " from queue q, generate_series(1, " + count + "),"
                    + " (select (extract(epoch from clock_timestamp()) * 1000)::bigint as now) t"
                    + " where q.account_id = '" + accountId + "' and q.deleted_at is null");
            statement.execute("analyze message");
        }
    }

    private static long storedMessages(String accountId) throws SQLException {
        try (Connection connection = PostgresCluster.shared().connect(database);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select count(*) from message m join queue q on q.id ="
                        + " m.queue_id where q.account_id = '" + accountId + "'")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
