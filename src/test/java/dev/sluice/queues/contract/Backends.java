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
 * The backends the {@link QueuesContract} runs on. A second backend (PostgreSQL) adds itself to {@link #all}, and
 * every contract case runs on it unchanged.
 *
 * <p>Two run now: the embedded engine on the in-memory store, whose commits complete before the call returns, and on
 * the journal, whose commits complete a moment later on its writer thread (as a database's would). On the second a
 * case waits for what it checks: {@link QueuesFixture#join} for an answer, and {@link QueuesBackend#settle} after each
 * task the fake clock runs, for what a timer started (a long poll served, a move tick).
 */
public final class Backends {
    /** The embedded engine on the in-memory store: every commit completes at once. */
    public static final Backend EMBEDDED = new Backend("embedded engine", () -> embedded(StoreRig.inMemory()));

    /**
     * The embedded engine on the journal, with tiny segments so compaction moves records all the time, and bodies the
     * engine drops and reads back: commits complete on the journal's writer thread, and restarts reopen its files.
     */
    public static final Backend EMBEDDED_ON_JOURNAL =
            new Backend("embedded engine on the journal", () -> embedded(StoreRig.journal()));

    private Backends() {}

    /** Every backend. */
    public static List<Backend> all() {
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
            public void settle() {
                rig.settle();
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
            public void settle() {}

            @Override
            public void close() {}
        };
    }
}
