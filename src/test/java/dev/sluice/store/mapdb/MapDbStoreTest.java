package dev.sluice.store.mapdb;

import dev.sluice.store.DurableStoreContract;
import java.time.Duration;

/** The durable store contract on a MapDB file. */
class MapDbStoreTest extends DurableStoreContract {

    @Override
    protected MapDbStore openStore() {
        return new MapDbStore(directory, MapDbStore.Durability.FSYNC, BATCH_INTERVAL);
    }

    @Override
    protected MapDbStore openBatched(Duration interval) {
        return new MapDbStore(directory, MapDbStore.Durability.BATCHED, interval);
    }

    @Override
    protected long groupCommits() {
        return ((MapDbStore) store).groupCommits();
    }
}
