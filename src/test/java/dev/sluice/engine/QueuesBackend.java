package dev.sluice.engine;

import dev.sluice.engine.testkit.FakeClock;
import dev.sluice.engine.testkit.StoreRig;
import dev.sluice.queues.IdSource;
import dev.sluice.queues.Queues;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.store.Store;

/**
 * Where a test's {@link Queues} come from: a backend whose state outlives a restart. Each {@link #open} starts a
 * backend on that state, reading time from the fake clock and waking parked work through it, so the behaviour tests
 * run unchanged on every backend that keeps to the contract.
 */
interface QueuesBackend extends AutoCloseable {

    /** A backend on this state. */
    Queues open(FakeClock clock, IdSource ids, Strictness strictness);

    /** Does to the state what a restart of the server does (closes and reopens files); the next open finds it. */
    void restart();

    @Override
    void close();

    /**
     * The embedded engine on a store the test keeps (a wrapper or a stub): a restart opens a new engine on it as it
     * is, and closing leaves it to the test.
     */
    static QueuesBackend embedded(Store store) {
        return new QueuesBackend() {
            @Override
            public Queues open(FakeClock clock, IdSource ids, Strictness strictness) {
                return new QueueEngine(store, clock, clock, ids, strictness);
            }

            @Override
            public void restart() {}

            @Override
            public void close() {}
        };
    }

    /** The embedded engine on the rig's store. */
    static QueuesBackend embedded(StoreRig rig) {
        return new QueuesBackend() {
            @Override
            public Queues open(FakeClock clock, IdSource ids, Strictness strictness) {
                return new QueueEngine(rig.store(), clock, clock, ids, strictness);
            }

            @Override
            public void restart() {
                rig.restart();
            }

            @Override
            public void close() {
                rig.close();
            }
        };
    }
}
