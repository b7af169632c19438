package dev.sluice.queues.contract;

import dev.sluice.queues.IdSource;
import dev.sluice.queues.Queues;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.queues.testkit.FakeClock;

/**
 * One test's backend: state that outlives a restart, and {@link Queues} opened on it. Each {@link #open} starts a
 * backend on that state, reading time from the fake clock and waking parked work through it (so no test sleeps), and
 * taking its ids from {@code ids} (so they are predictable).
 */
public interface QueuesBackend extends AutoCloseable {

    Queues open(FakeClock clock, IdSource ids, Strictness strictness);

    /** Does to the state what a restart of the server does (closes and reopens files); the next open finds it. */
    void restart();

    /**
     * Waits until the work the backend started on its own (what a timer ran: a long poll served, a move tick) has
     * finished, so that what a case checks next sees it. The fixture calls it after each task the fake clock runs.
     */
    void settle();

    /** Frees what the state holds (files, a database); the backend is not used after. */
    @Override
    void close();
}
