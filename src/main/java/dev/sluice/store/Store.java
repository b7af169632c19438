package dev.sluice.store;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The persistence contract. The engine keeps the working state in memory and records every transition here; the
 * returned stage completes once the transition is as durable as the configured mode promises (for the default,
 * fsynced), and only then does the engine acknowledge the request.
 */
public interface Store extends AutoCloseable {

    /** Reads everything stored. Called once, before any commit. */
    StoreSnapshot load();

    /**
     * Like {@link #load()}, but when {@link #readsBodiesBack()} the message bodies may be left out (null): the engine
     * reads each back with {@link #readBody} when it needs it, so a large backlog is not held in memory.
     */
    default StoreSnapshot loadWithoutBodies() {
        return load();
    }

    /**
     * True when the body of every message whose commit has completed can be read back with {@link #readBody}, so the
     * engine may drop bodies from memory once a send is committed.
     */
    default boolean readsBodiesBack() {
        return false;
    }

    /**
     * The body of a stored message, read back from the store; null if the message is not stored (deleted). Any thread
     * may call it; only stores that {@link #readsBodiesBack()} support it.
     */
    default String readBody(String queueId, String messageId) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not read bodies back");
    }

    /** The store's paging, when it can page (README, Paged index); none by default. */
    default java.util.Optional<PageStore> pages() {
        return java.util.Optional.empty();
    }

    /**
     * Reads only the tenants and access keys, for the auth registry; may be called besides {@link #load()}. Stores
     * override it when reading them alone is cheaper than reading everything.
     */
    default StoreSnapshot.Accounts loadAccounts() {
        StoreSnapshot snapshot = load();
        return new StoreSnapshot.Accounts(snapshot.tenants(), snapshot.accessKeys());
    }

    /**
     * Applies the changes atomically, in order; completes when they are durable. Commits are applied in the order of
     * the calls, so a later commit's state for a message wins over an earlier one's.
     */
    CompletionStage<Void> commit(List<StoreChange> changes);

    default CompletionStage<Void> commit(StoreChange change) {
        return commit(List.of(change));
    }

    @Override
    void close();
}
