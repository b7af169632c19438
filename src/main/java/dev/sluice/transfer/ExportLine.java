package dev.sluice.transfer;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.transfer.ArchivedDeduplication;
import dev.sluice.queues.transfer.ArchivedMessage;
import dev.sluice.queues.transfer.ArchivedQueue;
import dev.sluice.store.StoredAccessKey;
import dev.sluice.store.StoredTenant;

/**
 * One line of the export file between its header and its end: {@code record} says which of the other fields it
 * carries ({@code of} names the queue a message or deduplication record belongs to).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ExportLine(
        String record,
        StoredTenant tenant,
        StoredAccessKey accessKey,
        ArchivedQueue queue,
        QueueKey of,
        ArchivedMessage message,
        ArchivedDeduplication deduplication) {

    static ExportLine tenant(StoredTenant tenant) {
        return new ExportLine(ExportFormat.TENANT, tenant, null, null, null, null, null);
    }

    static ExportLine accessKey(StoredAccessKey key) {
        return new ExportLine(ExportFormat.ACCESS_KEY, null, key, null, null, null, null);
    }

    static ExportLine queue(ArchivedQueue queue) {
        return new ExportLine(ExportFormat.QUEUE, null, null, queue, null, null, null);
    }

    static ExportLine message(QueueKey of, ArchivedMessage message) {
        return new ExportLine(ExportFormat.MESSAGE, null, null, null, of, message, null);
    }

    static ExportLine deduplication(QueueKey of, ArchivedDeduplication deduplication) {
        return new ExportLine(ExportFormat.DEDUPLICATION, null, null, null, of, null, deduplication);
    }
}
