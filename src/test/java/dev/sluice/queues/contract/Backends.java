package dev.sluice.queues.contract;

import dev.sluice.engine.QueueEngine;
import dev.sluice.engine.testkit.StoreRig;
import dev.sluice.queues.IdSource;
import dev.sluice.queues.Queues;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.queues.testkit.FakeClock;
import dev.sluice.store.Store;
import java.util.List;

/**
 * The backends the {@link QueuesContract} runs on. A second backend (PostgreSQL) adds itself to {@link #all} and
 * {@link #durable}, and every contract case runs on it unchanged.
 *
 * <p>{@link #all} is the embedded engine on the in-memory store, whose commits complete before the call returns.
 * {@link #durable} adds the embedded engine on the journal, whose commits complete a moment later on its writer
 * thread: the classes about what a restart finds, dead-lettering and peeking (bodies read back from disk) run there.
 */
public final class Backends {
    /** The embedded engine on the in-memory store: every commit completes at once. */
    public static final Backend EMBEDDED = new Backend("embedded engine", true, () -> embedded(StoreRig.inMemory()));

    /**
     * The embedded engine on the journal, with tiny segments so compaction moves records all the time, and bodies the
     * engine drops and reads back: commits complete on the journal's writer thread.
     */
    public static final Backend EMBEDDED_ON_JOURNAL =
            new Backend("embedded engine on the journal", false, () -> embedded(StoreRig.journal()));

    private Backends() {}

    /** Every backend: the contract's default. */
    public static List<Backend> all() {
        return List.of(EMBEDDED);
    }

    /** Every backend, and the embedded engine on a file store too: for the cases about what survives a restart. */
    public static List<Backend> durable() {
        return List.of(EMBEDDED, EMBEDDED_ON_JOURNAL);
    }

    /** The embedded engine on the rig's store. */
    public static QueuesBackend embedded(StoreRig rig) {
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

    /**
     * The embedded engine on a store the test keeps (a wrapper or a stub): a restart opens a new engine on it as it
     * is, and closing leaves it to the test.
     */
    public static QueuesBackend embedded(Store store) {
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
}
