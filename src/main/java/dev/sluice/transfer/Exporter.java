package dev.sluice.transfer;

import com.fasterxml.jackson.databind.ObjectWriter;
import dev.sluice.auth.AccessKey;
import dev.sluice.auth.Tenant;
import dev.sluice.auth.Tenants;
import dev.sluice.queues.rules.QueueSettings;
import dev.sluice.queues.transfer.ArchivedDeduplication;
import dev.sluice.queues.transfer.ArchivedMessage;
import dev.sluice.queues.transfer.ArchivedQueue;
import dev.sluice.queues.transfer.QueueArchive;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;

/**
 * Writes a backend's tenants, keys, queues, messages and deduplication records to an export file
 * ({@link ExportFormat}): the tenants through {@link Tenants}' public reads, the rest from the backend's
 * {@link QueueArchive}, messages in pages in send order. Messages already past their queue's retention period are
 * left out: the backend would never deliver them again.
 */
public final class Exporter {
    /** Messages read from the backend at a time. */
    static final int PAGE = 500;

    private final ObjectWriter json = ExportFormat.JSON.writer();

    public Counts export(QueueArchive archive, Tenants tenants, String defaultRegion, long nowMillis, Writer out)
            throws IOException {
        write(
                out,
                new ExportFormat.Header(
                        ExportFormat.HEADER,
                        ExportFormat.VERSION,
                        Instant.ofEpochMilli(nowMillis).toString(),
                        nowMillis,
                        defaultRegion));
        long tenantCount = 0;
        long keyCount = 0;
        for (Tenant tenant : tenants.list()) {
            write(out, ExportLine.tenant(tenant.toStored()));
            tenantCount++;
            for (AccessKey key : tenants.keys(tenant.accountId())) {
                write(out, ExportLine.accessKey(key.toStored()));
                keyCount++;
            }
        }
        long queueCount = 0;
        long messageCount = 0;
        long dedupCount = 0;
        for (ArchivedQueue queue : archive.queues()) {
            write(out, ExportLine.queue(queue));
            queueCount++;
            long expiredBefore = nowMillis
                    - QueueSettings.of(queue.attributes())
                            .messageRetentionPeriod()
                            .toMillis();
            long after = Long.MIN_VALUE;
            List<ArchivedMessage> page;
            do {
                page = archive.messages(queue.key(), after, PAGE);
                for (ArchivedMessage message : page) {
                    after = message.sequence();
                    if (message.enqueuedMillis() > expiredBefore) {
                        write(out, ExportLine.message(queue.key(), message));
                        messageCount++;
                    }
                }
            } while (page.size() == PAGE);
            for (ArchivedDeduplication dedup : archive.deduplications(queue.key(), nowMillis)) {
                write(out, ExportLine.deduplication(queue.key(), dedup));
                dedupCount++;
            }
        }
        Counts counts = new Counts(tenantCount, keyCount, queueCount, messageCount, dedupCount);
        write(
                out,
                new ExportFormat.End(
                        ExportFormat.END,
                        counts.tenants(),
                        counts.accessKeys(),
                        counts.queues(),
                        counts.messages(),
                        counts.deduplications()));
        out.flush();
        return counts;
    }

    private void write(Writer out, Object line) throws IOException {
        out.write(json.writeValueAsString(line));
        out.write('\n');
    }
}
