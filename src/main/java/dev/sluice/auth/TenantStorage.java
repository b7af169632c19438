package dev.sluice.auth;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where {@link Tenants} keeps tenants and access keys: the embedded store of this process ({@link StoredTenants}), or a
 * database several replicas share (the PostgreSQL backend's), which then also tells of changes made by the others.
 */
public interface TenantStorage {

    /** Tenants and keys as stored. */
    record Accounts(List<Tenant> tenants, List<AccessKey> keys) {}

    /** Everything, read once at start (blocking: never called on an event loop). */
    Accounts loadAll();

    /** Everything again, after notifications may have been missed. */
    CompletionStage<Accounts> reloadAll();

    /** One account's tenant (if it still exists) and keys, after another replica changed them. */
    CompletionStage<Accounts> reload(String accountId);

    /**
     * The account that owns the key, read again (empty if no account has it): for a key created through another
     * replica whose notice has not arrived yet. Storage of this process alone knows nothing more than memory.
     */
    default CompletionStage<Accounts> reloadOwnerOf(String accessKeyId) {
        return CompletableFuture.completedFuture(new Accounts(List.of(), List.of()));
    }

    /** Whether other replicas share this storage (and so may know keys this one does not yet). */
    default boolean shared() {
        return false;
    }

    /** Stores the changes in one transaction; complete once durable. */
    CompletionStage<Void> commit(List<TenantChange> changes);

    /** Who hears of changes made elsewhere; storage of this process alone has none and ignores it. */
    default void watch(Changes listener) {}

    /** Changes made by another replica (or by this one, seen again once committed). */
    interface Changes {
        /**
         * A key ({@code accessKeyId}), or with null the whole tenant, was disabled or deleted elsewhere: to be refused
         * from the next request on, before the account is read again.
         */
        void revoked(String accountId, String accessKeyId);

        /** The account changed: read it again. */
        void changed(String accountId);

        /** Notifications may have been missed: read everything again. */
        void changedAll();
    }
}
