package dev.sluice.postgres;

import static dev.sluice.postgres.PostgresQueuesTest.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.TenantQueues;
import dev.sluice.auth.AccessKey;
import dev.sluice.auth.Tenant;
import dev.sluice.auth.TenantException;
import dev.sluice.auth.Tenants;
import dev.sluice.postgres.testkit.PostgresCluster;
import dev.sluice.postgres.testkit.PostgresExtension;
import dev.sluice.postgres.testkit.PostgresRig;
import dev.sluice.queues.IdSource;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.queues.testkit.FakeClock;
import dev.sluice.quota.Quota;
import dev.sluice.quota.Rate;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Tenants} over {@link PostgresTenants} as two replicas run them: two pools, two control connections, one
 * database. What one replica changes the other hears through PostgreSQL's notifications, which arrive when they
 * arrive: the checks of that wait for them (at most 2 s), everything else is checked at once.
 */
@ExtendWith(PostgresExtension.class)
class PostgresTenantsTest {
    private static final String ACCOUNT = "444444444444";

    private final FakeClock clock = new FakeClock();
    private final Vertx vertx = Vertx.vertx();
    private final List<Pool> pools = new ArrayList<>();
    private final List<PostgresQueues> queues = new ArrayList<>();
    private PostgresCluster cluster;
    private String database;
    private Tenants a;
    private Tenants b;

    @BeforeEach
    void start(PostgresCluster cluster) {
        this.cluster = cluster;
        database = PostgresExtension.migratedDatabase(cluster, "tenants");
        a = replica();
        b = replica();
    }

    private Tenants replica() {
        PgConnectOptions connect = PostgresRig.connectOptions(cluster, database);
        Pool pool = PostgresRig.pool(vertx, connect);
        pools.add(pool);
        PostgresQueues replica = new PostgresQueues(
                        pool, clock, clock, IdSource.random(), Strictness.LENIENT, "us-east-1")
                .connect(vertx, pool, connect);
        queues.add(replica);
        return new Tenants(replica.tenants(pool), clock, new TenantQueues(replica));
    }

    @AfterEach
    void stop() {
        queues.forEach(PostgresQueues::close);
        pools.forEach(Pool::close);
        vertx.close();
    }

    @Test
    void aTenantWithItsQuotaAndKeysIsReadBackAsWritten() {
        Quota quota = new Quota(Optional.of(new Rate(100, 200)), Optional.empty(), Map.of("jobs", new Rate(5, 10)));
        Tenant created = join(a.createTenant(ACCOUNT, "team", 7, 1_000L, Optional.of(quota)));
        AccessKey key = join(a.createKey(ACCOUNT));

        Tenants restarted = replica();

        assertThat(restarted.tenant(ACCOUNT)).contains(created);
        assertThat(restarted.find(key.accessKeyId())).contains(key);
    }

    @Test
    void aKeyCreatedOnOneReplicaIsFoundOnTheOtherByItsFirstLookUp() {
        join(a.createTenant(ACCOUNT, "team", null, null));
        AccessKey key = join(a.createKey(ACCOUNT));

        assertThat(join(b.lookUp(key.accessKeyId()))).isTrue();
        assertThat(b.find(key.accessKeyId())).contains(key);
        assertThat(join(b.lookUp("AKIANOSUCHKEY"))).isFalse();
    }

    @Test
    void aDisabledKeyAndADeletedTenantAreRefusedOnTheOtherReplica() {
        join(a.createTenant(ACCOUNT, "team", null, null));
        AccessKey first = join(a.createKey(ACCOUNT));
        AccessKey second = join(a.createKey(ACCOUNT));
        await(() -> b.find(second.accessKeyId()).isPresent());

        join(a.setKeyEnabled(first.accessKeyId(), false));
        // Dropped at once when the notice is heard, then read again, disabled.
        await(() -> b.keys(ACCOUNT).size() == 2 && b.find(first.accessKeyId()).isEmpty());
        assertThat(b.keys(ACCOUNT))
                .extracting(AccessKey::accessKeyId, AccessKey::enabled)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(first.accessKeyId(), false),
                        org.assertj.core.groups.Tuple.tuple(second.accessKeyId(), true));

        QueueKey queue = new QueueKey("us-east-1", ACCOUNT, "jobs");
        join(queues.get(1).createQueue(queue, Map.of(), Map.of()));
        join(a.deleteTenant(ACCOUNT));
        await(() -> b.tenant(ACCOUNT).isEmpty());
        assertThat(b.find(second.accessKeyId())).isEmpty();
        assertThat(join(queues.get(1).queueNames("us-east-1", ACCOUNT, ""))).isEmpty();
    }

    @Test
    void aQuotaChangedOnOneReplicaReachesTheOther() {
        join(a.createTenant(ACCOUNT, "team", null, null));
        await(() -> b.tenant(ACCOUNT).isPresent());
        Quota quota = new Quota(Optional.of(new Rate(1, 1)), Optional.empty(), Map.of());

        join(a.setQuota(ACCOUNT, Optional.of(quota)));

        await(() -> b.tenant(ACCOUNT).flatMap(Tenant::quota).isPresent());
        assertThat(b.tenant(ACCOUNT).flatMap(Tenant::quota)).contains(quota);
    }

    @Test
    void theSameAccountCreatedOnBothReplicasAtOnceIsCreatedOnce() {
        CompletableFuture<Tenant> onA = a.createTenant(ACCOUNT, "a", null, null).toCompletableFuture();
        CompletableFuture<Tenant> onB = b.createTenant(ACCOUNT, "b", null, null).toCompletableFuture();

        List<Throwable> failures = new ArrayList<>();
        for (CompletableFuture<Tenant> each : List.of(onA, onB)) {
            try {
                each.join();
            } catch (RuntimeException e) {
                failures.add(e.getCause());
            }
        }
        assertThat(failures)
                .singleElement()
                .isInstanceOfSatisfying(
                        TenantException.class,
                        e -> assertThat(e.reason()).isEqualTo(TenantException.Reason.ALREADY_EXISTS));
        String winner = onA.isCompletedExceptionally() ? "b" : "a";
        await(() -> a.tenant(ACCOUNT).map(t -> t.name().equals(winner)).orElse(false)
                && b.tenant(ACCOUNT).map(t -> t.name().equals(winner)).orElse(false));
    }

    @Test
    void replicasStartingTogetherDeclareTheSameTenantsWithoutRefusingEachOther() {
        CompletableFuture<Void> onA =
                a.declare(ACCOUNT, "AKIDDECLARED", "secret").toCompletableFuture();
        CompletableFuture<Void> onB =
                b.declare(ACCOUNT, "AKIDDECLARED", "secret").toCompletableFuture();
        CompletableFuture<Tenant> alsoOnA = a.declareTenant("555555555555", "ops", 3, null, Optional.empty())
                .toCompletableFuture();
        CompletableFuture<Tenant> alsoOnB = b.declareTenant("555555555555", "ops", 3, null, Optional.empty())
                .toCompletableFuture();

        CompletableFuture.allOf(onA, onB, alsoOnA, alsoOnB).join();

        Tenants restarted = replica();
        assertThat(restarted.find("AKIDDECLARED"))
                .hasValueSatisfying(key -> assertThat(key.accountId()).isEqualTo(ACCOUNT));
        assertThat(restarted.tenant("555555555555"))
                .hasValueSatisfying(tenant -> assertThat(tenant.name()).isEqualTo("ops"));
    }

    /** Waits, at most 2 s, for the other replica to have heard the notification. */
    private static void await(BooleanSupplier condition) {
        for (int attempt = 0; attempt < 100 && !condition.getAsBoolean(); attempt++) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assertThat(condition.getAsBoolean()).as("heard within 2 s").isTrue();
    }
}
