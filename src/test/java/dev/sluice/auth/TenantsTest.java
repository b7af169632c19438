package dev.sluice.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.store.memory.InMemoryStore;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

/** The tenant registry: key lookups, two keys for rotation, disabling at once, and what a restart reads back. */
class TenantsTest {
    private final InMemoryStore store = new InMemoryStore();
    private final InstantSource clock = InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z"));
    private final Tenants tenants = new Tenants(store, clock);

    @Test
    void aCreatedKeyIsFoundUntilItOrItsTenantIsDisabled() {
        tenants.createTenant("111111111111", "team a", null, null)
                .toCompletableFuture()
                .join();
        AccessKey key = tenants.createKey("111111111111").toCompletableFuture().join();

        assertThat(key.accessKeyId()).startsWith("AKIA").hasSize(20);
        assertThat(key.secret()).hasSize(40);
        assertThat(tenants.find(key.accessKeyId())).contains(key);

        tenants.setKeyEnabled(key.accessKeyId(), false);
        assertThat(tenants.find(key.accessKeyId())).isEmpty();
        tenants.setKeyEnabled(key.accessKeyId(), true);
        assertThat(tenants.find(key.accessKeyId())).isPresent();
        tenants.setTenantEnabled("111111111111", false);
        assertThat(tenants.find(key.accessKeyId())).isEmpty();
    }

    @Test
    void aTenantHasAtMostTwoKeysSoOneCanBeRotated() {
        tenants.createTenant("111111111111", null, null, null);
        AccessKey old = tenants.createKey("111111111111").toCompletableFuture().join();
        AccessKey fresh =
                tenants.createKey("111111111111").toCompletableFuture().join();

        assertThatThrownBy(() -> tenants.createKey("111111111111"))
                .isInstanceOfSatisfying(
                        TenantException.class,
                        e -> assertThat(e.reason()).isEqualTo(TenantException.Reason.LIMIT_EXCEEDED));
        tenants.deleteKey(old.accessKeyId());
        assertThat(tenants.find(old.accessKeyId())).isEmpty();
        assertThat(tenants.find(fresh.accessKeyId())).isPresent();
        assertThat(tenants.createKey("111111111111").toCompletableFuture().join())
                .isNotNull();
    }

    @Test
    void tenantsAndKeysSurviveARestartAndDeletingATenantDeletesItsKeys() {
        tenants.createTenant("111111111111", "a", 5, 1000L);
        AccessKey key = tenants.createKey("111111111111").toCompletableFuture().join();
        tenants.declare("222222222222", "AKIDB", "secretB");

        Tenants restarted = new Tenants(store, clock);
        assertThat(restarted.find(key.accessKeyId())).contains(key);
        assertThat(restarted.tenant("111111111111").orElseThrow().maxQueues()).contains(5);
        assertThat(restarted.find("AKIDB").orElseThrow().accountId()).isEqualTo("222222222222");

        restarted.deleteTenant("111111111111");
        assertThat(new Tenants(store, clock).find(key.accessKeyId())).isEmpty();
        assertThat(new Tenants(store, clock).tenant("111111111111")).isEmpty();
    }

    @Test
    void declaringAgainUpdatesTheSecretAndRefusesAKeyOfAnotherAccount() {
        tenants.declare("111111111111", "AKIDA", "first");
        tenants.declare("111111111111", "AKIDA", "second");

        assertThat(tenants.find("AKIDA").orElseThrow().secret()).isEqualTo("second");
        assertThatThrownBy(() -> tenants.declare("222222222222", "AKIDA", "x")).isInstanceOf(TenantException.class);
        assertThatThrownBy(() -> tenants.createTenant("12345", null, null, null))
                .isInstanceOf(TenantException.class);
    }
}
