package dev.sluice.queues.testkit;

import dev.sluice.queues.IdSource;
import java.util.concurrent.atomic.AtomicLong;

/** Ids that count up from 1, formatted like UUIDs, so outputs are byte-stable across runs. */
public final class CountingIds implements IdSource {
    private final AtomicLong next = new AtomicLong(1);

    @Override
    public String newId() {
        return String.format("00000000-0000-4000-8000-%012d", next.getAndIncrement());
    }
}
