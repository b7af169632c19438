package dev.sluice.auth;

import dev.sluice.store.Store;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoreSnapshot;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Tenants and keys in this process's embedded store (journal, MapDB or memory), committed like queue changes. */
public final class StoredTenants implements TenantStorage {
    private final Store store;

    public StoredTenants(Store store) {
        this.store = store;
    }

    @Override
    public Accounts loadAll() {
        StoreSnapshot.Accounts stored = store.loadAccounts();
        return new Accounts(
                stored.tenants().stream().map(Tenant::of).toList(),
                stored.accessKeys().stream().map(AccessKey::of).toList());
    }

    @Override
    public CompletionStage<Accounts> reloadAll() {
        return CompletableFuture.supplyAsync(this::loadAll);
    }

    @Override
    public CompletionStage<Accounts> reload(String accountId) {
        return reloadAll()
                .thenApply(all -> new Accounts(
                        all.tenants().stream()
                                .filter(tenant -> tenant.accountId().equals(accountId))
                                .toList(),
                        all.keys().stream()
                                .filter(key -> key.accountId().equals(accountId))
                                .toList()));
    }

    @Override
    public CompletionStage<Void> commit(List<TenantChange> changes) {
        return store.commit(changes.stream().map(StoredTenants::stored).toList());
    }

    private static StoreChange stored(TenantChange change) {
        return switch (change) {
            case TenantChange.PutTenant put ->
                new StoreChange.PutTenant(put.tenant().toStored());
            case TenantChange.DeleteTenant delete -> new StoreChange.DeleteTenant(delete.accountId());
            case TenantChange.PutKey put ->
                new StoreChange.PutAccessKey(put.key().toStored());
            case TenantChange.DeleteKey delete -> new StoreChange.DeleteAccessKey(delete.accessKeyId());
        };
    }
}
