package dev.sluice.store.memory;

import dev.sluice.store.Store;
import dev.sluice.store.StoreContract;

class InMemoryStoreTest extends StoreContract {

    @Override
    protected Store openStore() {
        return new InMemoryStore();
    }
}
