package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.postgres.testkit.PostgresCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
}
