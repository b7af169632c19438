package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.postgres.testkit.PostgresCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults of the PostgreSQL mode with real processes: two packaged servers (replicas A and B) on one real PostgreSQL,
 * each driven by producers and consumers through the AWS SDK for Java v2 (JSON 1.0) and v1 (query/XML), no retries, so
 * every error the SDKs saw is counted ({@link ReplicaTraffic}). One replica is killed with SIGKILL; the database is
 * restarted as in a crash ({@code pg_ctl restart -m immediate}), then stopped the same way and held down for a while.
 */
@DisplayName("PostgreSQL mode: a replica killed, the database crashed, under load")
class PostgresFaultsTest {
    private static final String QUEUE = "faults";

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    @DisplayName("kill -9 of one replica under load: the other keeps serving, nothing acknowledged is lost or undone")
    void killingOneReplicaLosesNothingAcknowledged() {
        List<String> options = OnPostgres.serverJvmArgs("faults_kill");
        try (SluiceProcess a = SluiceServer.startOwn("faults-kill-a", options);
                SluiceProcess b = SluiceServer.startOwn("faults-kill-b", options)) {
            List<ReplicaTraffic.Client> clients = clients(a, b);
            try (ReplicaTraffic traffic = new ReplicaTraffic(clients)) {
                awaitSends(traffic, clients, name -> true, Duration.ofSeconds(60));
                a.killHard();
                awaitSends(traffic, clients, name -> name.startsWith("B"), Duration.ofSeconds(30));
                traffic.finish(Duration.ofSeconds(90));

                assertThat(traffic.failures())
                        .as("errors B's clients saw")
                        .filteredOn(failure -> failure.client().startsWith("B"))
                        .isEmpty();
                assertNothingAcknowledgedLost(traffic);
            } finally {
                closeAll(clients);
            }
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    @DisplayName("pg_ctl restart -m immediate and a stopped database under load: 503 ServiceUnavailable, then served"
            + " again without a restart, nothing acknowledged lost")
    void aCrashedDatabaseIsServiceUnavailableAndThenServedAgain() {
        try (PostgresCluster cluster = PostgresCluster.start()) {
            List<String> options = OnPostgres.serverJvmArgs(cluster, cluster.createDatabase("faults_restart"));
            try (SluiceProcess a = SluiceServer.startOwn("faults-restart-a", options);
                    SluiceProcess b = SluiceServer.startOwn("faults-restart-b", options)) {
                List<ReplicaTraffic.Client> clients = clients(a, b);
                try (ReplicaTraffic traffic = new ReplicaTraffic(clients)) {
                    awaitSends(traffic, clients, name -> true, Duration.ofSeconds(60));

                    cluster.restartImmediately();
                    awaitSends(traffic, clients, name -> true, Duration.ofSeconds(60));

                    assertHealth(a, b, "reachable");
                    cluster.stopImmediately();
                    try {
                        awaitServiceUnavailable(traffic, clients, Duration.ofSeconds(30));
                        // Both replicas stay live and ready (in the Service, answering 503) and say the database is
                        // away.
                        assertHealth(a, b, "unreachable");
                        // Bad input is refused for what it is while the database is down.
                        for (ReplicaTraffic.Client client : clients) {
                            assertThatThrownBy(() ->
                                            client.port().receiveMessage(client.queueUrl(), ReceiveRequest.upTo(11)))
                                    .as(client.name())
                                    .isInstanceOfSatisfying(SqsError.class, e -> {
                                        assertThat(e.code()).isEqualTo("InvalidParameterValue");
                                        assertThat(e.status()).isEqualTo(400);
                                    });
                        }
                    } finally {
                        cluster.startAgain();
                    }
                    // The same processes serve again: their pools reconnect on the next request.
                    awaitSends(traffic, clients, name -> true, Duration.ofSeconds(60));
                    assertHealth(a, b, "reachable");
                    traffic.finish(Duration.ofSeconds(90));

                    assertThat(traffic.failures())
                            .as("every error the SDKs saw")
                            .isNotEmpty()
                            .allSatisfy(failure -> {
                                assertThat(failure.code()).as("%s", failure).isEqualTo("ServiceUnavailable");
                                assertThat(failure.status()).as("%s", failure).isEqualTo(503);
                            });
                    assertNothingAcknowledgedLost(traffic);
                } finally {
                    closeAll(clients);
                }
            }
        }
    }

    /**
     * Both replicas answer {@code /q/health/live} and {@code /q/health/ready} 200 UP, whatever the database's state,
     * and readiness names that state in its data ({@code database}: {@code reachable} or {@code unreachable}).
     */
    private static void assertHealth(SluiceProcess a, SluiceProcess b, String database) {
        for (SluiceProcess replica : List.of(a, b)) {
            AdminHttp http = new AdminHttp(replica.endpoint());
            AdminHttp.Reply live = http.withToken(null, "GET", "/q/health/live", null);
            assertThat(live.status()).as("live: %s", live.body()).isEqualTo(200);
            AdminHttp.Reply ready = http.withToken(null, "GET", "/q/health/ready", null);
            assertThat(ready.status()).as("ready: %s", ready.body()).isEqualTo(200);
            JsonNode checks = ready.json().get("checks");
            assertThat(checks.findValuesAsText("database"))
                    .as("ready: %s", ready.body())
                    .containsExactly(database);
            assertThat(ready.json().get("status").asText()).isEqualTo("UP");
        }
    }

    /** Per replica, one client per protocol; the queue created through A, its URL as each replica names it. */
    private static List<ReplicaTraffic.Client> clients(SluiceProcess a, SluiceProcess b) {
        List<ReplicaTraffic.Client> clients = new ArrayList<>();
        Map<String, SluiceProcess> replicas = Map.of("A", a, "B", b);
        for (String replica : List.of("A", "B")) {
            SqsPort json = new SdkV2Port(replicas.get(replica).endpoint());
            SqsPort query = new SdkV1Port(replicas.get(replica).endpoint());
            if (clients.isEmpty()) {
                json.createQueue(
                        QUEUE,
                        Map.of("VisibilityTimeout", Integer.toString(ReplicaTraffic.VISIBILITY_SECONDS)),
                        Map.of());
            }
            clients.add(new ReplicaTraffic.Client(replica + "/json", json, json.getQueueUrl(QUEUE)));
            clients.add(new ReplicaTraffic.Client(replica + "/query", query, query.getQueueUrl(QUEUE)));
        }
        return clients;
    }

    /** Waits until every client {@code which} names has had another send acknowledged. */
    private static void awaitSends(
            ReplicaTraffic traffic, List<ReplicaTraffic.Client> clients, Predicate<String> which, Duration patience) {
        Map<String, Long> before = new HashMap<>();
        for (ReplicaTraffic.Client client : clients) {
            if (which.test(client.name())) {
                before.put(client.name(), traffic.sends(client.name()));
            }
        }
        long deadline = System.nanoTime() + patience.toNanos();
        while (before.entrySet().stream().anyMatch(entry -> traffic.sends(entry.getKey()) <= entry.getValue() + 2)) {
            assertThat(System.nanoTime())
                    .as("sends acknowledged within %s by %s (%s)", patience, before.keySet(), traffic.summary())
                    .isLessThan(deadline);
            ReplicaTraffic.pause(Duration.ofMillis(100));
        }
    }

    /** Waits until the SDKs of both protocols, on both replicas, have seen ServiceUnavailable with HTTP 503. */
    private static void awaitServiceUnavailable(
            ReplicaTraffic traffic, List<ReplicaTraffic.Client> clients, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        for (ReplicaTraffic.Client client : clients) {
            while (traffic.failures().stream()
                    .noneMatch(failure -> failure.client().equals(client.name())
                            && failure.code().equals("ServiceUnavailable")
                            && failure.status() == 503)) {
                assertThat(System.nanoTime())
                        .as("%s saw ServiceUnavailable (%s)", client.name(), traffic.summary())
                        .isLessThan(deadline);
                ReplicaTraffic.pause(Duration.ofMillis(100));
            }
        }
    }

    private static void assertNothingAcknowledgedLost(ReplicaTraffic traffic) {
        System.out.println("PostgresFaultsTest: " + traffic.summary());
        assertThat(traffic.acknowledgedSends()).isGreaterThan(0);
        assertThat(traffic.unreceived()).as("acknowledged sends never received").isEmpty();
        assertThat(traffic.undoneDeletes()).as("acknowledged deletes undone").isEmpty();
    }

    private static void closeAll(List<ReplicaTraffic.Client> clients) {
        for (ReplicaTraffic.Client client : clients) {
            try {
                client.port().close();
            } catch (Exception e) {
                // closing a client of a dead replica may fail; nothing to keep
            }
        }
    }
}
