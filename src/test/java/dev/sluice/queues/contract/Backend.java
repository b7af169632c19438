package dev.sluice.queues.contract;

import java.util.function.Supplier;

/** A backend the {@link QueuesContract} runs on, by name: {@link #open} gives each test state of its own. */
public record Backend(String name, Supplier<QueuesBackend> opener) {

    public QueuesBackend open() {
        return opener.get();
    }

    @Override
    public String toString() {
        return name;
    }
}
