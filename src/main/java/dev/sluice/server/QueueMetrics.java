package dev.sluice.server;

import dev.sluice.queues.QueueKey;
import dev.sluice.queues.QueueStatistics;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import io.prometheus.client.SummaryMetricFamily;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The per-queue series at {@code /q/metrics}, named after SQS's CloudWatch metrics ({@code
 * ApproximateNumberOfMessagesVisible} is {@code sluice_approximate_number_of_messages_visible}, …). A Prometheus
 * collector: the counts are read from {@link QueueStatistics} when Prometheus scrapes, so nothing is kept per queue
 * here and a deleted queue's series are gone at the next scrape.
 *
 * <p>Cardinality: the first {@code sluice.metrics.max-queues} queues by account and name get series of their own; the
 * rest are summed into one series labelled {@code region="other", account="other", queue="other"} (its age is the oldest of theirs),
 * and the first time that happens it is logged once. {@code sluice_queues} counts every queue.
 */
@ApplicationScoped
public class QueueMetrics extends Collector {
    private static final Logger LOG = Logger.getLogger(QueueMetrics.class);
    static final String OTHER = "other";
    /** The labels of every per-queue series. */
    private static final List<String> LABELS = List.of("region", "account", "queue");

    private static final Comparator<QueueStatistics.Counts> BY_KEY = Comparator.comparing(
                    (QueueStatistics.Counts counts) -> counts.key().accountId())
            .thenComparing(counts -> counts.key().name());

    private final QueueStatistics statistics;
    private final int maxQueues;
    private final AtomicBoolean overLimitLogged = new AtomicBoolean();

    QueueMetrics(QueueStatistics statistics, SluiceConfig config) {
        this.statistics = statistics;
        this.maxQueues = config.metrics().maxQueues();
    }

    void register(@Observes StartupEvent event, PrometheusMeterRegistry registry) {
        registry.getPrometheusRegistry().register(this);
    }

    private static List<String> labels(QueueKey key) {
        return List.of(key.region(), key.accountId(), key.name());
    }

    @Override
    public List<MetricFamilySamples> collect() {
        List<QueueStatistics.Counts> all = new ArrayList<>(statistics.read());
        List<QueueStatistics.Counts> shown = all;
        if (all.size() > maxQueues) {
            all.sort(BY_KEY);
            shown = new ArrayList<>(all.subList(0, maxQueues));
            shown.add(sum(all.subList(maxQueues, all.size())));
            if (overLimitLogged.compareAndSet(false, true)) {
                LOG.warnf(
                        "%d queues, more than sluice.metrics.max-queues=%d: /q/metrics shows the first %d by account"
                                + " and name on their own and sums the rest into region=\"other\", account=\"other\", queue=\"other\""
                                + " (logged once)",
                        all.size(), maxQueues, maxQueues);
            }
        }
        GaugeMetricFamily queues = new GaugeMetricFamily("sluice_queues", "Queues, all accounts together", List.of());
        queues.addMetric(List.of(), all.size());
        GaugeMetricFamily deadLetterQueue = gauge(
                "sluice_dead_letter_queue",
                "1 for each queue that some queue's RedrivePolicy names as its dead-letter queue (absent for others)");
        GaugeMetricFamily visible = gauge(
                "sluice_approximate_number_of_messages_visible",
                "Messages available for retrieval (CloudWatch ApproximateNumberOfMessagesVisible)");
        GaugeMetricFamily notVisible = gauge(
                "sluice_approximate_number_of_messages_not_visible",
                "Messages in flight: received, not yet deleted or visible again"
                        + " (CloudWatch ApproximateNumberOfMessagesNotVisible)");
        GaugeMetricFamily delayed = gauge(
                "sluice_approximate_number_of_messages_delayed",
                "Messages delayed, not yet available (CloudWatch ApproximateNumberOfMessagesDelayed)");
        GaugeMetricFamily age = gauge(
                "sluice_approximate_age_of_oldest_message_seconds",
                "Age of the oldest message in the queue, 0 when empty (CloudWatch ApproximateAgeOfOldestMessage)");
        CounterMetricFamily sent = counter(
                "sluice_number_of_messages_sent",
                "Messages added to the queue by sends (CloudWatch NumberOfMessagesSent)");
        SummaryMetricFamily sentSize = new SummaryMetricFamily(
                "sluice_sent_message_size_bytes",
                "Size of the messages added to the queue, body and attributes (CloudWatch SentMessageSize)",
                LABELS);
        CounterMetricFamily received = counter(
                "sluice_number_of_messages_received",
                "Messages returned by ReceiveMessage (CloudWatch NumberOfMessagesReceived)");
        CounterMetricFamily deleted = counter(
                "sluice_number_of_messages_deleted",
                "Successful deletes with a valid receipt handle, repeated ones included"
                        + " (CloudWatch NumberOfMessagesDeleted)");
        CounterMetricFamily empty = counter(
                "sluice_number_of_empty_receives",
                "ReceiveMessage calls that returned no message (CloudWatch NumberOfEmptyReceives)");
        CounterMetricFamily deadLettered = counter(
                "sluice_number_of_messages_dead_lettered",
                "Messages moved from this queue to its dead-letter queue after maxReceiveCount receives");
        CounterMetricFamily deduplicated = counter(
                "sluice_number_of_deduplicated_messages",
                "FIFO sends answered as duplicates within the deduplication window (no message added)");
        for (QueueStatistics.Counts counts : shown) {
            List<String> labels = labels(counts.key());
            if (counts.deadLetterQueue()) {
                deadLetterQueue.addMetric(labels, 1);
            }
            visible.addMetric(labels, counts.visible());
            notVisible.addMetric(labels, counts.notVisible());
            delayed.addMetric(labels, counts.delayed());
            age.addMetric(labels, counts.ageOfOldestMillis() / 1000.0);
            sent.addMetric(labels, counts.sent());
            sentSize.addMetric(labels, counts.sent(), counts.sentBytes());
            received.addMetric(labels, counts.received());
            deleted.addMetric(labels, counts.deleted());
            empty.addMetric(labels, counts.emptyReceives());
            deadLettered.addMetric(labels, counts.deadLettered());
            deduplicated.addMetric(labels, counts.deduplicated());
        }
        return List.of(
                queues,
                deadLetterQueue,
                visible,
                notVisible,
                delayed,
                age,
                sent,
                sentSize,
                received,
                deleted,
                empty,
                deadLettered,
                deduplicated);
    }

    private static GaugeMetricFamily gauge(String name, String help) {
        return new GaugeMetricFamily(name, help, LABELS);
    }

    private static CounterMetricFamily counter(String name, String help) {
        return new CounterMetricFamily(name, help, LABELS);
    }

    /** The queues past the limit as one: counts summed, the oldest age. */
    private static QueueStatistics.Counts sum(List<QueueStatistics.Counts> rest) {
        boolean deadLetterQueue = false;
        int visible = 0;
        int notVisible = 0;
        int delayed = 0;
        long age = 0;
        long sent = 0;
        long sentBytes = 0;
        long received = 0;
        long deleted = 0;
        long empty = 0;
        long deadLettered = 0;
        long deduplicated = 0;
        for (QueueStatistics.Counts counts : rest) {
            deadLetterQueue |= counts.deadLetterQueue();
            visible += counts.visible();
            notVisible += counts.notVisible();
            delayed += counts.delayed();
            age = Math.max(age, counts.ageOfOldestMillis());
            sent += counts.sent();
            sentBytes += counts.sentBytes();
            received += counts.received();
            deleted += counts.deleted();
            empty += counts.emptyReceives();
            deadLettered += counts.deadLettered();
            deduplicated += counts.deduplicated();
        }
        return new QueueStatistics.Counts(
                new QueueKey(OTHER, OTHER, OTHER),
                deadLetterQueue,
                visible,
                notVisible,
                delayed,
                age,
                sent,
                sentBytes,
                received,
                deleted,
                empty,
                deadLettered,
                deduplicated);
    }
}
