package dev.sluice.transfer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.auth.AccessKey;
import dev.sluice.auth.Tenant;
import dev.sluice.auth.TenantException;
import dev.sluice.auth.Tenants;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.rules.QueueNames;
import dev.sluice.queues.rules.QueueSettings;
import dev.sluice.queues.transfer.ArchivedDeduplication;
import dev.sluice.queues.transfer.ArchivedMessage;
import dev.sluice.queues.transfer.ArchivedQueue;
import dev.sluice.queues.transfer.QueueArchive;
import dev.sluice.store.StoredAccessKey;
import dev.sluice.store.StoredTenant;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Reads an export file ({@link ExportFormat}) into a backend: first the whole file is checked (every line parsed, the
 * queues' names and attributes judged by {@code queues.rules}, each message after its queue, the end record's counts
 * matched), so a bad or cut-off file is refused with one line naming the line at fault before anything is written;
 * then tenants and keys are declared through {@link Tenants}' public API and queues, messages (in batches of
 * {@value Exporter#PAGE}, each stored atomically) and deduplication records restored through the backend's
 * {@link QueueArchive}. A message in flight at export time comes back visible ({@link ArchivedMessage#restoredAt}).
 */
public final class Importer {

    /**
     * Imports the file {@code source} opens (it is read twice: checked, then applied). A target that already holds
     * queues or tenants is refused unless {@code replace}: then a queue of the same key is replaced with its messages,
     * and a tenant or key of the same id takes the file's settings.
     */
    public Counts importFile(
            Supplier<Reader> source, QueueArchive archive, Tenants tenants, boolean replace, long nowMillis)
            throws IOException {
        try (Reader reader = source.get()) {
            read(reader, null, null, nowMillis);
        }
        if (!replace && (archive.holdsQueues() || !tenants.list().isEmpty())) {
            throw new ImportException("the target already holds queues or tenants; import into an empty one, or pass"
                    + " --replace to replace the queues and tenants the file names");
        }
        try (Reader reader = source.get()) {
            return read(reader, archive, tenants, nowMillis);
        }
    }

    /** Reads every line; with a target, writes them to it. */
    private Counts read(Reader reader, QueueArchive archive, Tenants tenants, long nowMillis) throws IOException {
        BufferedReader lines = new BufferedReader(reader, 1 << 16);
        Reading state = new Reading(archive, tenants, nowMillis);
        String text;
        while ((text = lines.readLine()) != null) {
            state.line++;
            if (text.isBlank()) {
                continue;
            }
            try {
                state.accept(ExportFormat.JSON.readTree(text));
            } catch (JsonProcessingException e) {
                throw state.bad("not a JSON record of a Sluice export (" + e.getOriginalMessage() + ")");
            } catch (IllegalArgumentException | QueueException | TenantException e) {
                throw state.bad(e.getMessage());
            }
        }
        if (!state.ended) {
            throw new ImportException(
                    state.line == 0
                            ? "the file is empty, not a Sluice export"
                            : "the file ends at line " + state.line + " without its end record: it was cut off");
        }
        return state.counts();
    }

    /** The state of one pass over the file. */
    private static final class Reading {
        private final QueueArchive archive;
        private final Tenants tenants;
        private final long nowMillis;
        private final Set<QueueKey> queues = new HashSet<>();
        private final List<ArchivedMessage> batch = new ArrayList<>(Exporter.PAGE);
        private final List<ArchivedDeduplication> deduplications = new ArrayList<>();
        private long line;
        private boolean started;
        private boolean ended;
        private ArchivedQueue current;
        private long tenantCount;
        private long keyCount;
        private long messageCount;
        private long dedupCount;

        Reading(QueueArchive archive, Tenants tenants, long nowMillis) {
            this.archive = archive;
            this.tenants = tenants;
            this.nowMillis = nowMillis;
        }

        void accept(JsonNode node) throws JsonProcessingException {
            String record = node.path(ExportFormat.RECORD).asText("");
            if (!started) {
                if (!ExportFormat.HEADER.equals(record)) {
                    throw bad("not a Sluice export: the first line is no header record");
                }
                ExportFormat.Header header = ExportFormat.JSON.treeToValue(node, ExportFormat.Header.class);
                if (header.version() != ExportFormat.VERSION) {
                    throw bad("export format version " + header.version() + "; this Sluice reads version "
                            + ExportFormat.VERSION);
                }
                started = true;
                return;
            }
            if (ended) {
                throw bad("a record after the end record");
            }
            switch (record) {
                case ExportFormat.TENANT -> tenant(line(node).tenant());
                case ExportFormat.ACCESS_KEY -> accessKey(line(node).accessKey());
                case ExportFormat.QUEUE -> queue(line(node).queue());
                case ExportFormat.MESSAGE -> message(line(node));
                case ExportFormat.DEDUPLICATION -> deduplication(line(node));
                case ExportFormat.END -> end(ExportFormat.JSON.treeToValue(node, ExportFormat.End.class));
                default -> throw bad("unknown record '" + record + "'");
            }
        }

        private ExportLine line(JsonNode node) throws JsonProcessingException {
            return ExportFormat.JSON.treeToValue(node, ExportLine.class);
        }

        private void tenant(StoredTenant stored) {
            Tenant tenant = Tenant.of(required(stored, "tenant"));
            tenantCount++;
            if (tenants != null) {
                join(() -> tenants.declareTenant(
                        tenant.accountId(),
                        tenant.name(),
                        tenant.maxQueues().orElse(null),
                        tenant.maxMessages().orElse(null),
                        tenant.quota()));
                if (!tenant.enabled()) {
                    join(() -> tenants.setTenantEnabled(tenant.accountId(), false));
                }
            }
        }

        private void accessKey(StoredAccessKey stored) {
            AccessKey key = AccessKey.of(required(stored, "accessKey"));
            if (!Tenant.isAccountId(key.accountId()) || key.accessKeyId() == null || key.secret() == null) {
                throw new IllegalArgumentException("an access key needs an id, a secret and a 12-digit account id");
            }
            keyCount++;
            if (tenants != null) {
                join(() -> tenants.declare(key.accountId(), key.accessKeyId(), key.secret()));
                if (!key.enabled()) {
                    join(() -> tenants.setKeyEnabled(key.accessKeyId(), false));
                }
            }
        }

        private void queue(ArchivedQueue queue) {
            flush();
            required(queue, "queue");
            QueueKey key = required(queue.key(), "queue.key");
            QueueSettings settings = QueueSettings.of(queue.attributes());
            QueueNames.validate(key.name(), settings.fifo());
            if (!Tenant.isAccountId(key.accountId())) {
                throw new IllegalArgumentException("queue " + key.name() + ": the account id must be 12 digits");
            }
            if (!queues.add(key)) {
                throw new IllegalArgumentException("queue " + key.name() + " of account " + key.accountId() + " in "
                        + key.region() + " appears twice");
            }
            current = queue;
            if (archive != null) {
                archive.restoreQueue(queue);
            }
        }

        private void message(ExportLine line) {
            ArchivedMessage message = required(line.message(), "message");
            requireCurrent(line.of());
            if (message.messageId() == null || message.body() == null) {
                throw new IllegalArgumentException("a message needs a messageId and a body");
            }
            if (!batch.isEmpty() && batch.getLast().sequence() >= message.sequence()) {
                throw new IllegalArgumentException("message " + message.messageId() + " is out of send order");
            }
            messageCount++;
            batch.add(message.restoredAt(nowMillis));
            if (batch.size() == Exporter.PAGE) {
                flush();
            }
        }

        private void deduplication(ExportLine line) {
            ArchivedDeduplication dedup = required(line.deduplication(), "deduplication");
            requireCurrent(line.of());
            if (dedup.key() == null || dedup.messageId() == null) {
                throw new IllegalArgumentException("a deduplication record needs a key and a messageId");
            }
            dedupCount++;
            deduplications.add(dedup);
        }

        private void end(ExportFormat.End end) {
            flush();
            if (end.tenants() != tenantCount
                    || end.accessKeys() != keyCount
                    || end.queues() != queues.size()
                    || end.messages() != messageCount
                    || end.deduplications() != dedupCount) {
                throw bad("the end record counts " + end.queues() + " queues and " + end.messages()
                        + " messages, the file holds " + queues.size() + " and " + messageCount);
            }
            ended = true;
        }

        /** Writes the messages and deduplication records read since the last flush. */
        private void flush() {
            if (archive != null && current != null) {
                if (!batch.isEmpty()) {
                    archive.restoreMessages(current.key(), List.copyOf(batch));
                }
                if (!deduplications.isEmpty()) {
                    archive.restoreDeduplications(current.key(), List.copyOf(deduplications));
                }
            }
            batch.clear();
            deduplications.clear();
        }

        private void requireCurrent(QueueKey of) {
            if (current == null || !current.key().equals(of)) {
                throw new IllegalArgumentException("a record of queue " + (of == null ? "(none)" : of.name())
                        + " that does not follow its queue record");
            }
        }

        private static <T> T required(T value, String field) {
            if (value == null) {
                throw new IllegalArgumentException("the record has no " + field);
            }
            return value;
        }

        private static void join(Supplier<java.util.concurrent.CompletionStage<?>> change) {
            try {
                change.get().toCompletableFuture().join();
            } catch (CompletionException e) {
                throw new IllegalArgumentException(e.getCause().getMessage(), e.getCause());
            }
        }

        ImportException bad(String reason) {
            return new ImportException("line " + line + ": " + reason);
        }

        Counts counts() {
            return new Counts(tenantCount, keyCount, queues.size(), messageCount, dedupCount);
        }
    }
}
