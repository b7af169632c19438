package dev.sluice.queues.contract;

import dev.sluice.engine.PagingPolicy;
import dev.sluice.engine.QueueEngine;
import dev.sluice.engine.testkit.StoreRig;
import dev.sluice.postgres.testkit.PostgresRig;
import dev.sluice.queues.IdSource;
import dev.sluice.queues.Queues;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.queues.testkit.FakeClock;
import dev.sluice.store.Store;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

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

    /**
     * The embedded engine on the in-memory store, paging all it can whenever the clock moves: every queue keeps a
     * window of two ready messages and pages the rest out a message a page, so every case runs over pages (README,
     * Paged index).
     */
    public static final Backend EMBEDDED_PAGING = new Backend("embedded engine paging", () -> {
        return embedded(StoreRig.inMemoryPaging(), new PagingPolicy(Long.MAX_VALUE, 0, 0, 1, 2));
    });

    /**
     * The same paging on the journal (tiny segments, so compaction moves paged records too): every page a page file
     * and a PAGE_OUT record, every page-in a PAGE_IN record, restarts from the journal's checkpoints and tail.
     */
    public static final Backend EMBEDDED_PAGING_ON_JOURNAL =
            new Backend("embedded engine paging on the journal", () -> {
                return embedded(StoreRig.journal(), new PagingPolicy(Long.MAX_VALUE, 0, 0, 1, 2));
            });

    /** The PostgreSQL backend on a database of its own (the test JVM's PostgreSQL, {@link PostgresRig}). */
    public static final Backend POSTGRES = new Backend("PostgreSQL backend", PostgresRig::new);

    /** Message move tasks (StartMessageMoveTask and the rest). */
    public static final String MOVE_TASKS = "message move tasks";
    /** FIFO ReceiveRequestAttemptId: a retried receive gets the same messages and handles. */
    public static final String RECEIVE_ATTEMPT_IDS = "ReceiveRequestAttemptId";
    /** Fair queues: a noisy message group's backlog waits behind the other groups. */
    public static final String FAIR_QUEUES = "fair queues";
    /** A tenant's message limit that concurrent sends cannot pass together. */
    public static final String EXACT_MESSAGE_LIMIT = "exact message limit under concurrent sends";

    /** What the PostgreSQL backend has not built yet (README, "PostgreSQL mode"): its cases are skipped there. */
    private static final Set<String> NOT_BUILT_ON_POSTGRES = Set.of();

    private Backends() {}

    /** Skips the calling case (a JUnit assumption) on a backend that has not built {@code feature} yet. */
    public static void assumeBuilt(Backend backend, String feature) {
        Assumptions.assumeFalse(
                backend == POSTGRES && NOT_BUILT_ON_POSTGRES.contains(feature),
                feature + ": not built on the " + backend.name() + " yet");
    }

    /**
     * Skips the calling case on the paging backend: it expects one receive or one move tick to reach past a window of
     * two ready messages, where paging makes the rest wait for their page-in (a later receive or tick gets them).
     */
    public static void assumeMoreThanAWindowAtOnce(Backend backend) {
        Assumptions.assumeFalse(
                backend == EMBEDDED_PAGING || backend == EMBEDDED_PAGING_ON_JOURNAL,
                "takes more than the paging backend's window of two at once");
    }

    /**
     * Every backend, or those whose names end with one of {@code -Dsluice.contract.backends} (comma-separated, {@code
     * _} for a space: {@code -Dsluice.contract.backends=paging_on_the_journal}), to run one backend's cases alone.
     */
    public static List<Backend> all() {
        List<Backend> all =
                List.of(EMBEDDED, EMBEDDED_ON_JOURNAL, EMBEDDED_PAGING, EMBEDDED_PAGING_ON_JOURNAL, POSTGRES);
        String only = System.getProperty("sluice.contract.backends", "");
        if (only.isBlank()) {
            return all;
        }
        List<String> wanted = List.of(only.replace('_', ' ').split(","));
        return all.stream()
                .filter(backend ->
                        wanted.stream().anyMatch(name -> backend.name().endsWith(name.strip())))
                .toList();
    }

    /** The embedded engine on the rig's store. */
    public static QueuesBackend embedded(StoreRig rig) {
        return embedded(rig, PagingPolicy.of(Long.MAX_VALUE));
    }

    /** The embedded engine on the rig's store, paging by the policy when the store can page. */
    public static QueuesBackend embedded(StoreRig rig, PagingPolicy paging) {
        return new QueuesBackend() {
            @Override
            public Queues open(FakeClock clock, IdSource ids, Strictness strictness) {
                return new QueueEngine(rig.store(), clock, clock, ids, strictness, QueueEngine.DEFAULT_REGION, paging);
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
