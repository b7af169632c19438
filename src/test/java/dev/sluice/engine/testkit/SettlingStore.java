package dev.sluice.engine.testkit;

import dev.sluice.store.Store;
import dev.sluice.store.StoreChange;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A store whose commits complete a moment later (on a writer thread), with a way to wait for them: {@link #settle}
 * returns once every commit made so far has completed and what its completion ran (the engine's after-commit work,
 * and the commits that work made) has finished. A test moves the fake clock, settles, and then checks.
 */
final class SettlingStore extends ForwardingStore {
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(10);

    private int inFlight;

    SettlingStore(Store store) {
        super(store);
    }

    /** Waits (at most 10 s, then fails the test) until no commit is in flight. */
    synchronized void settle() {
        long deadline = System.nanoTime() + LONGEST_WAIT.toNanos();
        try {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(inFlight + " commits still in flight after " + LONGEST_WAIT);
                }
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while settling", e);
        }
    }

    private synchronized void started() {
        inFlight++;
    }

    private synchronized void finished() {
        inFlight--;
        notifyAll();
    }

    @Override
    public CompletionStage<Void> commit(List<StoreChange> changes) {
        started();
        CompletableFuture<Void> answered = new CompletableFuture<>();
        store.commit(changes).whenComplete((done, failure) -> {
            try {
                if (failure == null) {
                    answered.complete(done);
                } else {
                    answered.completeExceptionally(failure);
                }
            } finally {
                finished();
            }
        });
        return answered;
    }
}
