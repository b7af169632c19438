package dev.sluice.server;

import dev.sluice.store.CommitListener;
import dev.sluice.store.Store;
import dev.sluice.store.journal.JournalStore;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The journal store's series at {@code /q/metrics}: commit latency (from a request's changes reaching the store to
 * their sync), fsync time, commits and messages per group commit, bytes written, the journal's size, live bytes,
 * segments and compaction. Recorded on the journal's writer thread, once per commit and once per group commit. The
 * MapDB and memory stores have none of these.
 */
@ApplicationScoped
public class StoreMetrics implements CommitListener {
    private static final Duration[] LATENCY_BUCKETS = LatencyBuckets.upTo(Duration.ofSeconds(1));
    private static final double[] COUNT_BUCKETS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};

    private Timer commits;
    private Timer syncs;
    private DistributionSummary commitsPerSync;
    private DistributionSummary messagesPerSync;
    private DistributionSummary bytesPerSync;

    void register(@Observes StartupEvent event, Store store, MeterRegistry registry) {
        if (!(store instanceof JournalStore journal)) {
            return;
        }
        commits = Timer.builder("sluice.store.commit")
                .description("Time from a request's changes reaching the store to their sync (journal, group commit)")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        syncs = Timer.builder("sluice.store.fsync")
                .description("Time of one fdatasync of the journal (one per group commit)")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        commitsPerSync = DistributionSummary.builder("sluice.store.group.commit.requests")
                .description("Commits (one per changing request) written and synced together in one group commit")
                .serviceLevelObjectives(COUNT_BUCKETS)
                .register(registry);
        messagesPerSync = DistributionSummary.builder("sluice.store.group.commit.messages")
                .description("Messages (sent or moved) written and synced together in one group commit")
                .serviceLevelObjectives(COUNT_BUCKETS)
                .register(registry);
        bytesPerSync = DistributionSummary.builder("sluice.store.group.commit")
                .description("Bytes appended to the journal by one group commit")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("sluice.store.journal", journal, j -> j.statistics().bytes())
                .description("Bytes in the journal's segment files")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("sluice.store.journal.live", journal, j -> j.statistics().liveBytes())
                .description("Bytes of the journal's live records; the rest is reclaimed by compaction")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder(
                        "sluice.store.journal.segments",
                        journal,
                        j -> j.statistics().segments())
                .description("Segment files of the journal")
                .register(registry);
        FunctionCounter.builder(
                        "sluice.store.journal.compacted.segments",
                        journal,
                        j -> j.statistics().segmentsCompacted())
                .description("Segment files reclaimed by compaction since the start")
                .register(registry);
        journal.listen(this);
    }

    @Override
    public void committed(long latencyNanos) {
        commits.record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void synced(int commits, int messages, long bytes, long syncNanos) {
        syncs.record(syncNanos, TimeUnit.NANOSECONDS);
        commitsPerSync.record(commits);
        messagesPerSync.record(messages);
        bytesPerSync.record(bytes);
    }
}
