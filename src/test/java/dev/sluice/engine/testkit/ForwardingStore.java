package dev.sluice.engine.testkit;

import dev.sluice.store.Store;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoreSnapshot;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** A store that hands every call to another; a test's store overrides the calls it changes. */
public abstract class ForwardingStore implements Store {
    protected final Store store;

    protected ForwardingStore(Store store) {
        this.store = store;
    }

    @Override
    public StoreSnapshot load() {
        return store.load();
    }

    @Override
    public StoreSnapshot loadWithoutBodies() {
        return store.loadWithoutBodies();
    }

    @Override
    public boolean readsBodiesBack() {
        return store.readsBodiesBack();
    }

    @Override
    public String readBody(String queueId, String messageId) {
        return store.readBody(queueId, messageId);
    }

    @Override
    public StoreSnapshot.Accounts loadAccounts() {
        return store.loadAccounts();
    }

    @Override
    public CompletionStage<Void> commit(List<StoreChange> changes) {
        return store.commit(changes);
    }

    @Override
    public void close() {
        store.close();
    }
}
