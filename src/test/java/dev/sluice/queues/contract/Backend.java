package dev.sluice.queues.contract;

import java.util.function.Supplier;

/**
 * A backend the {@link QueuesContract} runs on, by name: {@link #open} gives each test its own state.
 * {@code commitsAtOnce}: every stage completes before the call returns (an in-memory store), which the few cases that
 * check what a parked receive holds at the very moment something happens need; others complete a moment later.
 */
public record Backend(String name, boolean commitsAtOnce, Supplier<QueuesBackend> opener) {

    public QueuesBackend open() {
        return opener.get();
    }

    @Override
    public String toString() {
        return name;
    }
}
