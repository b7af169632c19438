package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.auth.TenantException;
import dev.sluice.auth.Tenants;
import dev.sluice.engine.QueueEngine;
import dev.sluice.queues.IdSource;
import dev.sluice.queues.NewMessage;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.queues.testkit.FakeClock;
import dev.sluice.store.memory.InMemoryStore;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An account id never passes to a new owner with an old owner's queues: deleting a tenant deletes its queues and
 * messages; creating a tenant for an account that still owns queues is refused until they are deleted.
 */
class TenantDeletionTest {
    private static final String ACCOUNT = "111111111111";

    private final InMemoryStore store = new InMemoryStore();
    private final FakeClock clock = new FakeClock();
    private final QueueEngine engine = new QueueEngine(store, clock, clock, IdSource.random(), Strictness.LENIENT);
    private final Tenants tenants = new Tenants(store, clock, new TenantQueues(engine));

    private void createQueueWithAMessage(String name) {
        QueueKey queue = new QueueKey(ACCOUNT, name);
        engine.createQueue(queue, Map.of(), Map.of()).toCompletableFuture().join();
        engine.send(queue, new NewMessage("secret", Map.of(), Map.of(), Optional.empty(), ACCOUNT, null, null))
                .toCompletableFuture()
                .join();
    }

    @Test
    void deletingATenantDeletesItsQueuesAndMessagesSoARecreatedAccountStartsEmpty() {
        tenants.createTenant(ACCOUNT, "old owner", null, null)
                .toCompletableFuture()
                .join();
        createQueueWithAMessage("payroll");
        createQueueWithAMessage("invoices");
        assertThat(engine.messageCount(ACCOUNT).toCompletableFuture().join()).isEqualTo(2);

        tenants.deleteTenant(ACCOUNT).toCompletableFuture().join();

        assertThat(engine.queueNames(ACCOUNT, null).toCompletableFuture().join())
                .isEmpty();
        assertThat(engine.messageCount(ACCOUNT).toCompletableFuture().join()).isZero();
        assertThat(store.load().messages()).isEmpty();
        tenants.createTenant(ACCOUNT, "new owner", null, null)
                .toCompletableFuture()
                .join();
        assertThat(engine.queueNames(ACCOUNT, null).toCompletableFuture().join())
                .isEmpty();
    }

    @Test
    void anAccountThatStillOwnsQueuesIsNoNewTenantUntilTheyAreDeleted() {
        createQueueWithAMessage("left-over");

        assertThatThrownBy(() -> tenants.createTenant(ACCOUNT, "new owner", null, null)
                        .toCompletableFuture()
                        .join())
                .cause()
                .isInstanceOfSatisfying(
                        TenantException.class,
                        e -> assertThat(e.reason()).isEqualTo(TenantException.Reason.ALREADY_EXISTS))
                .hasMessageContaining("still owns 1 queue");

        tenants.deleteTenant(ACCOUNT).toCompletableFuture().join();
        assertThat(engine.queueNames(ACCOUNT, null).toCompletableFuture().join())
                .isEmpty();
        tenants.createTenant(ACCOUNT, "new owner", null, null)
                .toCompletableFuture()
                .join();
        assertThat(tenants.tenant(ACCOUNT)).isPresent();
    }

    @Test
    void aDeclaredTenantKeepsTheQueuesItsAccountOwns() {
        createQueueWithAMessage("from-open-mode");

        tenants.declare(ACCOUNT, "AKIDDECLARED", "secret").toCompletableFuture().join();

        assertThat(engine.queueNames(ACCOUNT, null).toCompletableFuture().join())
                .containsExactly("from-open-mode");
    }

    @Test
    void deletingAnAccountWithNeitherTenantNorQueuesIsNotFound() {
        assertThatThrownBy(() ->
                        tenants.deleteTenant(ACCOUNT).toCompletableFuture().join())
                .cause()
                .isInstanceOfSatisfying(
                        TenantException.class, e -> assertThat(e.reason()).isEqualTo(TenantException.Reason.NOT_FOUND));
    }
}
