package dev.sluice.engine.testkit;

import dev.sluice.store.Store;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoreSnapshot;
import dev.sluice.store.memory.InMemoryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A store that applies commits to an in-memory store at once but, while {@link #holding}, completes their stages only
 * when the test says: it plays out a commit still on its way to disk deterministically.
 */
public final class HeldCommitStore implements Store {
    /** What has been committed, held or not; a new engine loaded from it is what a restart would see. */
    public final InMemoryStore applied = new InMemoryStore();
    /** The stages of the commits made while holding, in commit order. */
    public final List<CompletableFuture<Void>> held = new ArrayList<>();
    /** Every commit made, held or not, in order. */
    public final List<List<StoreChange>> commits = new ArrayList<>();

    public boolean holding;

    @Override
    public StoreSnapshot load() {
        return applied.load();
    }

    @Override
    public CompletionStage<Void> commit(List<StoreChange> changes) {
        commits.add(List.copyOf(changes));
        applied.commit(changes);
        if (!holding) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        held.add(done);
        return done;
    }

    @Override
    public void close() {}
}
