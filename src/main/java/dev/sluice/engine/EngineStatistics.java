package dev.sluice.engine;

import dev.sluice.queues.QueueKey;
import dev.sluice.queues.QueueStatistics;
import dev.sluice.queues.rules.RedrivePolicy;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The embedded engine's {@link QueueStatistics}: each queue's counts read under its lock, one queue at a time, after
 * making due messages visible (as a receive or GetQueueAttributes would; nothing is stored for that). Messages past
 * their retention period are left for the next receive or GetQueueAttributes to expire, so they may be counted until
 * then.
 */
final class EngineStatistics implements QueueStatistics {
    private final Supplier<? extends Iterable<Queue>> queues;
    private final InstantSource clock;

    EngineStatistics(Supplier<? extends Iterable<Queue>> queues, InstantSource clock) {
        this.queues = queues;
        this.clock = clock;
    }

    @Override
    public List<Counts> read() {
        long now = clock.millis();
        Set<QueueKey> deadLetterQueues = new HashSet<>();
        for (Queue queue : queues.get()) {
            RedrivePolicy redrive = queue.settings.redrivePolicy();
            if (redrive != null) {
                deadLetterQueues.add(redrive.deadLetterTarget().key());
            }
        }
        List<Counts> counts = new ArrayList<>();
        for (Queue queue : queues.get()) {
            synchronized (queue) {
                if (queue.deleted) {
                    continue;
                }
                queue.promote(now);
                long oldest = queue.oldestEnqueuedMillis();
                QueueActivity activity = queue.activity;
                counts.add(new Counts(
                        queue.key,
                        deadLetterQueues.contains(queue.key),
                        queue.visibleCount(),
                        queue.inFlightCount(),
                        queue.delayedCount(),
                        oldest < 0 ? 0 : Math.max(0, now - oldest),
                        activity.sent,
                        activity.sentBytes,
                        activity.received,
                        activity.deleted,
                        activity.emptyReceives,
                        activity.deadLettered,
                        activity.deduplicated));
            }
        }
        return counts;
    }
}
