package dev.sluice.engine;

import dev.sluice.queues.IdSource;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueInfo;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.rules.AccountLimits;
import dev.sluice.queues.rules.QueueNames;
import dev.sluice.queues.rules.QueueSettings;
import dev.sluice.queues.rules.RedriveRules;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.queues.rules.Tags;
import dev.sluice.store.Store;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoreSnapshot;
import dev.sluice.store.StoredDeduplication;
import dev.sluice.store.StoredPage;
import dev.sluice.store.StoredQueue;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The embedded engine's queues: the map by key, each account's message count, when names were last deleted, and the
 * operations on queues as a whole (create, delete, attributes, policy, tags, purge, listings). Creating and deleting
 * hold one lock, so a name is never created twice; everything about one queue holds that queue's lock, and its
 * changes are handed to the store under it.
 */
final class QueueCatalog {
    private final Store store;
    private final InstantSource clock;
    private final IdSource ids;
    private final Strictness strictness;
    private final StoredNames names;
    private final MemoryBudget memory;

    private final Map<QueueKey, Queue> queues = new ConcurrentHashMap<>();
    private final Map<String, AccountMessages> accounts = new ConcurrentHashMap<>();
    private final Map<QueueKey, Long> deletedAtMillis = new ConcurrentHashMap<>();
    private final Object lifecycleLock = new Object();

    QueueCatalog(
            Store store,
            InstantSource clock,
            IdSource ids,
            Strictness strictness,
            StoredNames names,
            MemoryBudget memory) {
        this.store = store;
        this.memory = memory;
        this.clock = clock;
        this.ids = ids;
        this.strictness = strictness;
        this.names = names;
    }

    StoredNames names() {
        return names;
    }

    /**
     * Rebuilds the queues, their pages (as descriptors), messages and deduplication records from what the store holds.
     * {@code pager}: null when the store cannot page.
     */
    void load(StoreSnapshot snapshot, long now, Pager pager) {
        Map<String, Queue> byId = new HashMap<>();
        for (StoredQueue stored : snapshot.queues()) {
            Queue queue = new Queue(stored, names.region(stored.region()), account(stored.accountId()), memory);
            Queue other = queues.put(queue.key, queue);
            if (other != null) {
                throw sameNameTwice(queue.key);
            }
            byId.put(queue.queueId, queue);
        }
        List<StoredPage> pages = new ArrayList<>(snapshot.pages());
        pages.sort(Comparator.comparingLong(StoredPage::firstSequence));
        for (StoredPage page : pages) {
            Queue queue = byId.get(page.queueId());
            if (queue != null && pager == null) {
                throw new IllegalStateException("the store holds pages but cannot page");
            }
            if (queue != null) {
                queue.restorePage(page, pager);
            }
        }
        Map<Queue, List<Message>> restored = new HashMap<>();
        for (StoreSnapshot.Entry entry : snapshot.messages()) {
            Queue queue = byId.get(entry.message().queueId());
            if (queue != null) {
                restored.computeIfAbsent(queue, q -> new ArrayList<>())
                        .add(Message.restored(entry.message(), entry.delivery()));
            }
        }
        restored.forEach((queue, messages) -> queue.restore(messages, now));
        byId.values().forEach(Queue::checkWindow);
        List<StoredDeduplication> deduplications = new ArrayList<>(snapshot.deduplications());
        // Oldest first: each queue forgets its keys from the front of its map.
        deduplications.sort(Comparator.comparingLong(StoredDeduplication::expiresAtMillis));
        for (StoredDeduplication dedup : deduplications) {
            Queue queue = byId.get(dedup.queueId());
            if (queue != null) {
                // The stored queue's counter is only rewritten by PutQueue; a deleted message's sequence survives
                // only here, and a later send must still get a greater one.
                queue.issuedBefore(dedup.sequence());
            }
            if (queue != null && dedup.expiresAtMillis() > now) {
                queue.deduplications.restore(dedup);
            }
        }
    }

    /**
     * Two stored queues of one name in one region: one stored in the default region, one stored by region name, after
     * {@code sluice.region} was changed to that region. Refused rather than one hidden: nothing stored is dropped.
     */
    private static QueueEngine.StoredQueuesClash sameNameTwice(QueueKey key) {
        return new QueueEngine.StoredQueuesClash("queue " + key.name() + " of account " + key.accountId()
                + " is stored both in the default region and in region " + key.region()
                + ", which sluice.region now makes the default region too; set sluice.region back to the region it"
                + " had (the default region's queues move with it) and delete one of the two queues");
    }

    // ---- lookups

    /** The queue, or null if it does not exist. */
    Queue get(QueueKey key) {
        return queues.get(key);
    }

    Queue require(QueueKey key) {
        Queue queue = queues.get(key);
        if (queue == null) {
            throw new QueueException(QueueError.QUEUE_NOT_FOUND, "The specified queue does not exist.");
        }
        return queue;
    }

    boolean exists(QueueKey key) {
        return queues.containsKey(key);
    }

    Collection<Queue> all() {
        return queues.values();
    }

    /** Names of the account's queues in the region starting with the prefix (null: all), sorted. */
    List<String> names(String region, String accountId, String prefix) {
        return queues.keySet().stream()
                .filter(key -> key.accountId().equals(accountId) && key.region().equals(region))
                .map(QueueKey::name)
                .filter(name -> prefix == null || name.startsWith(prefix))
                .sorted()
                .toList();
    }

    /** The keys of every queue, or of one account's, by account, region and name. */
    List<QueueKey> keys(Optional<String> accountId) {
        return queues.keySet().stream()
                .filter(key -> accountId.isEmpty() || key.accountId().equals(accountId.get()))
                .sorted(Comparator.comparing(QueueKey::accountId)
                        .thenComparing(QueueKey::region)
                        .thenComparing(QueueKey::name))
                .toList();
    }

    /** The queues whose RedrivePolicy names this one as dead-letter queue, sorted by name. */
    List<QueueKey> deadLetterSources(QueueKey key) {
        require(key);
        return queues.values().stream()
                .filter(queue -> RedriveRules.redrivesTo(queue.key, queue.settings, key))
                .map(queue -> queue.key)
                .sorted(Comparator.comparing(QueueKey::name))
                .toList();
    }

    /** Whether some queue's RedrivePolicy names this one. */
    boolean isDeadLetterQueue(QueueKey key) {
        return queues.values().stream().anyMatch(queue -> RedriveRules.redrivesTo(queue.key, queue.settings, key));
    }

    /** How many messages the account's queues hold in all, counting sends not yet committed. */
    long messageCount(String accountId) {
        AccountMessages account = accounts.get(accountId);
        return account == null ? 0 : account.count();
    }

    private AccountMessages account(String accountId) {
        return accounts.computeIfAbsent(accountId, id -> new AccountMessages());
    }

    // ---- changes

    /** CreateQueue; the account's queue limit is checked under the lock that adds the queue. */
    CompletionStage<QueueInfo> create(
            QueueKey key, Map<String, String> attributes, Map<String, String> tags, int maxQueues) {
        QueueSettings settings = QueueSettings.forNewQueue(attributes);
        QueueNames.validate(key.name(), settings.fifo());
        Tags.validate(tags);
        RedriveRules.validate(key, settings, this::settingsOf);
        long now = clock.millis();
        Queue created;
        synchronized (lifecycleLock) {
            Queue existing = queues.get(key);
            if (existing != null) {
                synchronized (existing) {
                    QueueNames.requireSameAttributes(attributes, settings, existing.settings);
                    return CompletableFuture.completedFuture(info(existing));
                }
            }
            strictness.requireRecreatable(deletedAtMillis.get(key), now);
            AccountLimits.requireRoomForQueue(key.accountId(), count(key.accountId()), maxQueues);
            created = new Queue(
                    new StoredQueue(
                            ids.newId(),
                            names.storedRegion(key.region()),
                            key.accountId(),
                            key.name(),
                            settings.values(),
                            tags,
                            now,
                            now,
                            0),
                    key.region(),
                    account(key.accountId()),
                    memory);
            queues.put(key, created);
        }
        CompletionStage<Void> committed;
        synchronized (created) {
            committed = store.commit(new StoreChange.PutQueue(created.stored()));
        }
        return committed.thenApply(done -> info(created));
    }

    private long count(String accountId) {
        return queues.keySet().stream()
                .filter(key -> key.accountId().equals(accountId))
                .count();
    }

    /** A queue's settings, or null if it does not exist. */
    private QueueSettings settingsOf(QueueKey key) {
        Queue queue = queues.get(key);
        return queue == null ? null : queue.settings;
    }

    /** DeleteQueue: its messages go with it, and the receives parked on it are answered empty. */
    CompletionStage<Void> delete(QueueKey key) {
        List<Waiter> waiting;
        CompletionStage<Void> committed;
        synchronized (lifecycleLock) {
            Queue queue = require(key);
            queues.remove(key);
            deletedAtMillis.put(key, clock.millis());
            synchronized (queue) {
                queue.deleted = true;
                queue.account.add(-queue.messageCount());
                queue.releaseMemory();
                waiting = queue.waiters.takeAll();
                committed = store.commit(new StoreChange.DeleteQueue(queue.queueId));
            }
        }
        LongPolls.endAll(waiting);
        return committed;
    }

    /** Deletes every queue of the account with its messages (a deleted tenant's). */
    CompletionStage<Void> deleteAll(String accountId) {
        List<CompletableFuture<Void>> deleted = new ArrayList<>();
        for (QueueKey key : List.copyOf(queues.keySet())) {
            if (key.accountId().equals(accountId)) {
                try {
                    deleted.add(delete(key).toCompletableFuture());
                } catch (QueueException deletedMeanwhile) {
                    // Gone already: nothing left to delete.
                }
            }
        }
        return CompletableFuture.allOf(deleted.toArray(CompletableFuture[]::new));
    }

    /** The queue as it stands, after expiring the messages past their retention period (as a receive would). */
    QueueInfo describe(QueueKey key, Transition transition) {
        Queue queue = require(key);
        synchronized (queue) {
            transition.expire(queue);
            transition.commitQuietly();
            queue.promote(transition.now);
            return info(queue);
        }
    }

    CompletionStage<Void> setAttributes(QueueKey key, Map<String, String> attributes) {
        Queue queue = require(key);
        synchronized (queue) {
            QueueSettings changed = queue.settings.with(attributes);
            if (attributes.containsKey(QueueSettings.REDRIVE_POLICY)) {
                RedriveRules.validate(key, changed, this::settingsOf);
            }
            queue.settings = changed;
            queue.lastModifiedMillis = clock.millis();
            return store.commit(new StoreChange.PutQueue(queue.stored()));
        }
    }

    /**
     * Reads the queue's Policy (null if it has none), edits it and stores the result (null or empty removes it), all
     * under the queue's lock, so two edits at once both land.
     */
    CompletionStage<Void> editPolicy(QueueKey key, UnaryOperator<String> edit) {
        Queue queue = require(key);
        synchronized (queue) {
            String edited = edit.apply(queue.settings.values().get(QueueSettings.POLICY));
            return setAttributes(key, Map.of(QueueSettings.POLICY, edited == null ? "" : edited));
        }
    }

    CompletionStage<Void> tag(QueueKey key, Map<String, String> tags) {
        Queue queue = require(key);
        synchronized (queue) {
            queue.tags = Tags.tagged(queue.tags, tags);
            return store.commit(new StoreChange.PutQueue(queue.stored()));
        }
    }

    CompletionStage<Void> untag(QueueKey key, Collection<String> tagKeys) {
        Queue queue = require(key);
        synchronized (queue) {
            queue.tags = Tags.untagged(queue.tags, tagKeys);
            return store.commit(new StoreChange.PutQueue(queue.stored()));
        }
    }

    CompletionStage<Void> purge(QueueKey key) {
        Queue queue = require(key);
        long now = clock.millis();
        synchronized (queue) {
            strictness.requirePurgeable(key, queue.lastPurgeMillis, now);
            queue.lastPurgeMillis = now;
            List<StoreChange> changes = new ArrayList<>(3);
            List<String> pages = queue.pages == null ? List.of() : queue.pages.settledNames();
            changes.add(new StoreChange.DeleteMessages(queue.queueId, queue.clear()));
            if (!pages.isEmpty()) {
                changes.add(new StoreChange.DropPages(queue.queueId, pages));
            }
            List<String> deduplications = queue.deduplications.clear();
            if (!deduplications.isEmpty()) {
                // SQS: a purge also forgets the deduplication ids, so a purged message can be sent again.
                changes.add(new StoreChange.DeleteDeduplications(queue.queueId, deduplications));
            }
            return store.commit(changes);
        }
    }

    private static QueueInfo info(Queue queue) {
        return new QueueInfo(
                queue.key,
                queue.settings,
                queue.tags,
                Instant.ofEpochMilli(queue.createdMillis),
                Instant.ofEpochMilli(queue.lastModifiedMillis),
                queue.visibleCount(),
                queue.inFlightCount(),
                queue.delayedCount());
    }
}
