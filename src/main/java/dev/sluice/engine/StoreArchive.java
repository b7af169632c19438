package dev.sluice.engine;

import dev.sluice.queues.IdSource;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.transfer.ArchivedDeduplication;
import dev.sluice.queues.transfer.ArchivedMessage;
import dev.sluice.queues.transfer.ArchivedQueue;
import dev.sluice.queues.transfer.QueueArchive;
import dev.sluice.store.Store;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoreSnapshot;
import dev.sluice.store.StoredDeduplication;
import dev.sluice.store.StoredDelivery;
import dev.sluice.store.StoredMessage;
import dev.sluice.store.StoredPage;
import dev.sluice.store.StoredQueue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded engine's queues and messages as an export reads them and an import writes them: over its {@link Store}
 * (the journal of a data directory no server holds), reading what the store holds once and writing restored queues,
 * messages and deduplication records as the store's own transitions, one commit per call, so the next start of the
 * engine loads them as if they had been sent to it. Regions are named as the engine's records name them
 * ({@link StoredNames}). Bodies the store reads back are read one message at a time, so a large backlog is not held
 * in memory.
 */
public final class StoreArchive implements QueueArchive {
    private static final Comparator<QueueKey> KEY_ORDER = Comparator.comparing(QueueKey::accountId)
            .thenComparing(QueueKey::region)
            .thenComparing(QueueKey::name);

    private final Store store;
    private final StoredNames names;
    private final Map<QueueKey, StoredQueue> queues = new HashMap<>();
    private final Map<String, List<StoreSnapshot.Entry>> messages = new HashMap<>();
    private final Map<String, List<StoredDeduplication>> deduplications = new HashMap<>();

    /** {@code defaultRegion}: {@code sluice.region}, the region of records that name none. */
    public StoreArchive(Store store, String defaultRegion) {
        this.store = store;
        this.names = new StoredNames(defaultRegion);
        StoreSnapshot snapshot = store.loadWithoutBodies();
        for (StoredQueue queue : snapshot.queues()) {
            queues.put(key(queue), queue);
        }
        for (StoreSnapshot.Entry entry : snapshot.messages()) {
            messages.computeIfAbsent(entry.message().queueId(), id -> new ArrayList<>())
                    .add(entry);
        }
        // Paged messages are read in place (with their bodies), the pages left as they are.
        for (StoredPage page : snapshot.pages()) {
            messages.computeIfAbsent(page.queueId(), id -> new ArrayList<>())
                    .addAll(store.pages().orElseThrow().read(page));
        }
        messages.values()
                .forEach(list -> list.sort(
                        Comparator.comparingLong(entry -> entry.message().sequence())));
        for (StoredDeduplication dedup : snapshot.deduplications()) {
            deduplications
                    .computeIfAbsent(dedup.queueId(), id -> new ArrayList<>())
                    .add(dedup);
        }
    }

    @Override
    public List<ArchivedQueue> queues() {
        return queues.values().stream()
                .map(this::archived)
                .sorted(Comparator.comparing(ArchivedQueue::key, KEY_ORDER))
                .toList();
    }

    @Override
    public List<ArchivedMessage> messages(QueueKey queue, long afterSequence, int max) {
        StoredQueue stored = queues.get(queue);
        List<StoreSnapshot.Entry> held =
                stored == null ? List.of() : messages.getOrDefault(stored.queueId(), List.of());
        List<ArchivedMessage> page = new ArrayList<>(Math.min(max, held.size()));
        for (StoreSnapshot.Entry entry : held) {
            if (page.size() == max) {
                break;
            }
            if (entry.message().sequence() > afterSequence) {
                String body = entry.message().body() != null
                        ? entry.message().body()
                        : store.readBody(stored.queueId(), entry.message().messageId());
                page.add(archived(entry.message(), entry.delivery(), body));
            }
        }
        return page;
    }

    @Override
    public List<ArchivedDeduplication> deduplications(QueueKey queue, long nowMillis) {
        StoredQueue stored = queues.get(queue);
        return stored == null
                ? List.of()
                : deduplications.getOrDefault(stored.queueId(), List.of()).stream()
                        .filter(dedup -> dedup.expiresAtMillis() > nowMillis)
                        .map(dedup -> new ArchivedDeduplication(
                                dedup.key(), dedup.messageId(), dedup.sequence(), dedup.expiresAtMillis()))
                        .toList();
    }

    @Override
    public boolean holdsQueues() {
        return !queues.isEmpty();
    }

    @Override
    public void restoreQueue(ArchivedQueue queue) {
        List<StoreChange> changes = new ArrayList<>(2);
        StoredQueue replaced = queues.get(queue.key());
        if (replaced != null) {
            changes.add(new StoreChange.DeleteQueue(replaced.queueId()));
            messages.remove(replaced.queueId());
            deduplications.remove(replaced.queueId());
        }
        StoredQueue stored = new StoredQueue(
                IdSource.randomUuid(),
                names.storedRegion(queue.key().region()),
                queue.key().accountId(),
                queue.key().name(),
                queue.attributes(),
                queue.tags(),
                queue.createdMillis(),
                queue.lastModifiedMillis(),
                queue.nextSequence());
        changes.add(new StoreChange.PutQueue(stored));
        store.commit(changes).toCompletableFuture().join();
        queues.put(queue.key(), stored);
    }

    @Override
    public void restoreMessages(QueueKey queue, List<ArchivedMessage> restored) {
        String queueId = restoredId(queue);
        List<StoreChange> changes = new ArrayList<>(restored.size());
        for (ArchivedMessage message : restored) {
            changes.add(new StoreChange.PutMessage(
                    new StoredMessage(
                            queueId,
                            message.messageId(),
                            message.sequence(),
                            message.body(),
                            message.messageAttributes(),
                            message.systemAttributes(),
                            message.senderId(),
                            message.sentMillis(),
                            message.enqueuedMillis(),
                            message.messageGroupId(),
                            message.messageDeduplicationId(),
                            message.deadLetterSource()),
                    new StoredDelivery(
                            queueId,
                            message.messageId(),
                            message.visibleAtMillis(),
                            message.receiveCount(),
                            message.firstReceiveMillis(),
                            message.lastReceiveMillis())));
        }
        store.commit(changes).toCompletableFuture().join();
    }

    @Override
    public void restoreDeduplications(QueueKey queue, List<ArchivedDeduplication> restored) {
        String queueId = restoredId(queue);
        List<StoreChange> changes = new ArrayList<>(restored.size());
        for (ArchivedDeduplication dedup : restored) {
            changes.add(new StoreChange.PutDeduplication(new StoredDeduplication(
                    queueId, dedup.key(), dedup.messageId(), dedup.sequence(), dedup.expiresAtMillis())));
        }
        store.commit(changes).toCompletableFuture().join();
    }

    @Override
    public void close() {
        store.close();
    }

    private String restoredId(QueueKey queue) {
        StoredQueue stored = queues.get(queue);
        if (stored == null) {
            throw new IllegalStateException("queue " + queue + " was not restored before its messages");
        }
        return stored.queueId();
    }

    private QueueKey key(StoredQueue queue) {
        return new QueueKey(names.region(queue.region()), queue.accountId(), queue.name());
    }

    private ArchivedQueue archived(StoredQueue queue) {
        long next = queue.nextSequence();
        for (StoreSnapshot.Entry entry : messages.getOrDefault(queue.queueId(), List.of())) {
            next = Math.max(next, entry.message().sequence() + 1);
        }
        for (StoredDeduplication dedup : deduplications.getOrDefault(queue.queueId(), List.of())) {
            next = Math.max(next, dedup.sequence() + 1);
        }
        return new ArchivedQueue(
                key(queue), queue.attributes(), queue.tags(), queue.createdMillis(), queue.lastModifiedMillis(), next);
    }

    private static ArchivedMessage archived(StoredMessage message, StoredDelivery delivery, String body) {
        return new ArchivedMessage(
                message.messageId(),
                message.sequence(),
                body,
                message.messageAttributes(),
                message.systemAttributes(),
                message.senderId(),
                message.sentMillis(),
                message.enqueuedMillis(),
                message.messageGroupId(),
                message.messageDeduplicationId(),
                message.deadLetterSourceQueue(),
                delivery.receiveCount(),
                delivery.firstReceiveMillis(),
                delivery.lastReceiveMillis(),
                delivery.visibleAtMillis());
    }
}
