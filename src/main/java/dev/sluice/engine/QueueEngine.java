package dev.sluice.engine;

import dev.sluice.queues.IdSource;
import dev.sluice.queues.MessageMoveTask;
import dev.sluice.queues.MessagePage;
import dev.sluice.queues.NewMessage;
import dev.sluice.queues.Outcome;
import dev.sluice.queues.PeekRequest;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueInfo;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Queues;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.Scheduler;
import dev.sluice.queues.SentMessage;
import dev.sluice.queues.StartMoveTask;
import dev.sluice.queues.VisibilityChange;
import dev.sluice.queues.rules.AccountLimits;
import dev.sluice.queues.rules.MessageDigests;
import dev.sluice.queues.rules.MessageRules;
import dev.sluice.queues.rules.QueueNames;
import dev.sluice.queues.rules.QueueSettings;
import dev.sluice.queues.rules.ReceiptHandle;
import dev.sluice.queues.rules.ReceiptHandleRules;
import dev.sluice.queues.rules.ReceiveRules;
import dev.sluice.queues.rules.RedrivePolicy;
import dev.sluice.queues.rules.RedriveRules;
import dev.sluice.queues.rules.SendRules;
import dev.sluice.queues.rules.SequenceNumbers;
import dev.sluice.queues.rules.SqsLimits;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.queues.rules.Tags;
import dev.sluice.store.Store;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoreSnapshot;
import dev.sluice.store.StoredDeduplication;
import dev.sluice.store.StoredMessage;
import dev.sluice.store.StoredQueue;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SQS rules for standard queues: queue lifecycle and attributes, send, receive with visibility timeouts, delays
 * and long polls, delete, visibility changes, retention and purge.
 *
 * <p>The working state lives in memory ({@link Queue}); every transition is committed to the {@link Store} and the
 * caller's stage completes only after that commit, so an acknowledged request is as durable as the store promises. A
 * sent message becomes receivable only once it is committed, except that a standard queue hands it to a parked long
 * poll in the send's own commit (see {@link #handOff}). Each operation reads the clock once.
 *
 * <p>Changes to a queue are handed to the store while its lock is held (for the stores that is only an enqueue), so
 * the store applies them in the order they happened in memory: a restart never loads an older state over a newer.
 */
public final class QueueEngine implements Queues {
    private final Store store;
    private final InstantSource clock;
    private final Scheduler scheduler;
    private final IdSource ids;
    private final Strictness strictness;
    /** The store reads bodies back: committed messages drop theirs ({@link Message#releaseBody}). */
    private final boolean bodiesInStore;

    private final Map<QueueKey, Queue> queues = new ConcurrentHashMap<>();
    private final Map<String, AccountMessages> accounts = new ConcurrentHashMap<>();
    private final Map<QueueKey, Long> deletedAtMillis = new ConcurrentHashMap<>();
    private final Object lifecycleLock = new Object();
    private final MoveTaskRunner moveTaskRunner;
    private final QueueBrowser browser;

    public QueueEngine(Store store, InstantSource clock, Scheduler scheduler, IdSource ids, Strictness strictness) {
        this.store = store;
        this.clock = clock;
        this.scheduler = scheduler;
        this.ids = ids;
        this.strictness = strictness;
        this.moveTaskRunner = new MoveTaskRunner(this, queues, store, clock, scheduler, ids);
        this.bodiesInStore = store.readsBodiesBack();
        this.browser = new QueueBrowser(queues, store, clock);
        load(store.loadWithoutBodies());
    }

    private void load(StoreSnapshot snapshot) {
        long now = clock.millis();
        Map<String, Queue> byId = new HashMap<>();
        for (StoredQueue stored : snapshot.queues()) {
            Queue queue = new Queue(stored, account(stored.accountId()));
            queues.put(queue.key, queue);
            byId.put(queue.queueId, queue);
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
        List<StoredDeduplication> deduplications = new ArrayList<>(snapshot.deduplications());
        // Oldest first: each queue forgets its keys from the front of its map.
        deduplications.sort(java.util.Comparator.comparingLong(StoredDeduplication::expiresAtMillis));
        for (StoredDeduplication dedup : deduplications) {
            Queue queue = byId.get(dedup.queueId());
            if (queue != null) {
                // The stored queue's counter is only rewritten by PutQueue; a deleted message's sequence survives
                // only here, and a later send must still get a greater one.
                queue.issuedBefore(dedup.sequence());
            }
            if (queue != null && dedup.expiresAtMillis() > now) {
                queue.deduplications.put(
                        dedup.key(),
                        new Queue.Deduplication(dedup.messageId(), dedup.sequence(), dedup.expiresAtMillis()));
            }
        }
        moveTaskRunner.load(snapshot.moveTasks(), now);
    }

    // ---- queues

    /** The account's queue limit is checked under the lock that adds the queue: concurrent creates cannot pass it. */
    @Override
    public CompletionStage<QueueInfo> createQueue(
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
                    return CompletableFuture.completedFuture(info(existing, now));
                }
            }
            strictness.requireRecreatable(deletedAtMillis.get(key), now);
            AccountLimits.requireRoomForQueue(key.accountId(), queueCount(key.accountId()), maxQueues);
            created = new Queue(
                    new StoredQueue(ids.newId(), key.accountId(), key.name(), settings.values(), tags, now, now, 0),
                    account(key.accountId()));
            queues.put(key, created);
        }
        CompletionStage<Void> committed;
        synchronized (created) {
            committed = store.commit(new StoreChange.PutQueue(created.stored()));
        }
        return committed.thenApply(done -> info(created, now));
    }

    /** A queue's settings, or null if it does not exist. */
    private QueueSettings settingsOf(QueueKey key) {
        Queue queue = queues.get(key);
        return queue == null ? null : queue.settings;
    }

    @Override
    public CompletionStage<List<QueueKey>> deadLetterSourceQueues(QueueKey key) {
        return CompletableFuture.completedFuture(deadLetterSources(key));
    }

    /** The queues whose RedrivePolicy names this one as dead-letter queue, sorted by name. */
    List<QueueKey> deadLetterSources(QueueKey key) {
        require(key);
        return queues.values().stream()
                .filter(queue -> RedriveRules.redrivesTo(queue.settings, key))
                .map(queue -> queue.key)
                .sorted(java.util.Comparator.comparing(QueueKey::name))
                .toList();
    }

    @Override
    public CompletionStage<Long> messageCount(String accountId) {
        AccountMessages account = accounts.get(accountId);
        return CompletableFuture.completedFuture(account == null ? 0 : account.count());
    }

    private AccountMessages account(String accountId) {
        return accounts.computeIfAbsent(accountId, id -> new AccountMessages());
    }

    /** Also expires the messages past their retention period, as a receive would, so the counts are current. */
    @Override
    public CompletionStage<QueueInfo> describe(QueueKey key) {
        Queue queue = require(key);
        long now = clock.millis();
        synchronized (queue) {
            commitQuietly(queue, queue.expire(now));
            queue.promote(now);
            return CompletableFuture.completedFuture(info(queue, now));
        }
    }

    private long queueCount(String accountId) {
        return queues.keySet().stream()
                .filter(key -> key.accountId().equals(accountId))
                .count();
    }

    @Override
    public CompletionStage<List<String>> queueNames(String accountId, String prefix) {
        return CompletableFuture.completedFuture(queues.keySet().stream()
                .filter(key -> key.accountId().equals(accountId))
                .map(QueueKey::name)
                .filter(name -> prefix == null || name.startsWith(prefix))
                .sorted()
                .toList());
    }

    @Override
    public CompletionStage<List<QueueKey>> queueKeys(Optional<String> accountId) {
        return CompletableFuture.completedFuture(browser.keys(accountId));
    }

    @Override
    public CompletionStage<MessagePage> peek(QueueKey key, PeekRequest request) {
        return CompletableFuture.completedFuture(browser.peek(require(key), request));
    }

    @Override
    public CompletionStage<Void> deleteQueue(QueueKey key) {
        List<Waiter> waiting;
        CompletionStage<Void> committed;
        synchronized (lifecycleLock) {
            Queue queue = require(key);
            queues.remove(key);
            deletedAtMillis.put(key, clock.millis());
            synchronized (queue) {
                queue.deleted = true;
                queue.account.add(-queue.messageCount());
                waiting = new ArrayList<>(queue.waiters);
                queue.waiters.clear();
                cancelWake(queue);
                committed = store.commit(new StoreChange.DeleteQueue(queue.queueId));
            }
        }
        waiting.forEach(waiter -> waiter.result().complete(List.of()));
        return committed;
    }

    @Override
    public CompletionStage<Void> deleteQueues(String accountId) {
        List<CompletableFuture<Void>> deleted = new ArrayList<>();
        for (QueueKey key : List.copyOf(queues.keySet())) {
            if (key.accountId().equals(accountId)) {
                try {
                    deleted.add(deleteQueue(key).toCompletableFuture());
                } catch (QueueException deletedMeanwhile) {
                    // Gone already: nothing left to delete.
                }
            }
        }
        return CompletableFuture.allOf(deleted.toArray(CompletableFuture[]::new));
    }

    @Override
    public CompletionStage<Void> setAttributes(QueueKey key, Map<String, String> attributes) {
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

    @Override
    public CompletionStage<Void> tagQueue(QueueKey key, Map<String, String> tags) {
        Queue queue = require(key);
        synchronized (queue) {
            queue.tags = Tags.tagged(queue.tags, tags);
            return store.commit(new StoreChange.PutQueue(queue.stored()));
        }
    }

    @Override
    public CompletionStage<Void> untagQueue(QueueKey key, Collection<String> tagKeys) {
        Queue queue = require(key);
        synchronized (queue) {
            queue.tags = Tags.untagged(queue.tags, tagKeys);
            return store.commit(new StoreChange.PutQueue(queue.stored()));
        }
    }

    @Override
    public CompletionStage<Void> purgeQueue(QueueKey key) {
        Queue queue = require(key);
        long now = clock.millis();
        synchronized (queue) {
            strictness.requirePurgeable(key, queue.lastPurgeMillis, now);
            queue.lastPurgeMillis = now;
            List<StoreChange> changes = new ArrayList<>(2);
            changes.add(new StoreChange.DeleteMessages(queue.queueId, queue.clear()));
            List<String> deduplications = queue.clearDeduplications();
            if (!deduplications.isEmpty()) {
                // SQS: a purge also forgets the deduplication ids, so a purged message can be sent again.
                changes.add(new StoreChange.DeleteDeduplications(queue.queueId, deduplications));
            }
            return store.commit(changes);
        }
    }

    // ---- messages

    @Override
    public CompletionStage<SentMessage> send(QueueKey key, NewMessage message, long maxAccountMessages) {
        return send(require(key), List.of(message), maxAccountMessages).thenApply(Outcome::only);
    }

    @Override
    public CompletionStage<List<Outcome<SentMessage>>> sendBatch(
            QueueKey key, List<NewMessage> messages, long maxAccountMessages) {
        Queue queue = require(key);
        SendRules.requireBatchIds(queue.settings, messages);
        return send(queue, messages, maxAccountMessages);
    }

    /**
     * Sends each message on its own terms and commits all accepted ones together. The whole batch is reserved against
     * the account's limit first, atomically, so concurrent sends cannot pass it together.
     */
    private CompletionStage<List<Outcome<SentMessage>>> send(
            Queue queue, List<NewMessage> messages, long maxAccountMessages) {
        long now = clock.millis();
        List<Outcome<SentMessage>> outcomes = new ArrayList<>(messages.size());
        List<StoreChange> changes = new ArrayList<>(messages.size());
        List<Message> created = new ArrayList<>(messages.size());
        CompletionStage<Void> committed;
        HandOff handOff;
        synchronized (queue) {
            if (queue.deleted) {
                throw new QueueException(QueueError.QUEUE_NOT_FOUND, "The specified queue does not exist.");
            }
            if (!queue.account.tryReserve(messages.size(), maxAccountMessages)) {
                throw AccountLimits.overMessageLimit(queue.key.accountId(), maxAccountMessages);
            }
            List<String> expiredKeys = queue.expireDeduplications(now);
            if (!expiredKeys.isEmpty()) {
                changes.add(new StoreChange.DeleteDeduplications(queue.queueId, expiredKeys));
            }
            for (NewMessage message : messages) {
                try {
                    outcomes.add(Outcome.success(accept(queue, message, now, changes, created)));
                } catch (QueueException e) {
                    outcomes.add(Outcome.failure(e));
                }
            }
            // Refused and duplicate messages store nothing: their reservations go back at once.
            queue.account.add(created.size() - messages.size());
            handOff = handOff(queue, created, now, changes);
            committed = changes.isEmpty() ? CompletableFuture.completedFuture(null) : store.commit(changes);
        }
        answerAfter(committed, handOff.served());
        return committed
                .whenComplete((done, failure) -> {
                    if (failure != null) {
                        synchronized (queue) {
                            created.forEach(queue::release);
                            handOff.messages().forEach(queue::forget);
                            queue.account.add(handOff.messages().size() - created.size());
                        }
                    }
                })
                .thenApply(done -> {
                    if (bodiesInStore && !handOff.messages().isEmpty()) {
                        synchronized (queue) {
                            handOff.messages().forEach(Message::releaseBody);
                        }
                    }
                    deliver(queue, handOff.rest(created));
                    return outcomes;
                });
    }

    /** Just-sent messages handed to parked receives before their commit, and what each receive got. */
    private record HandOff(List<Message> messages, Map<Waiter, List<ReceivedMessage>> served) {
        static final HandOff NONE = new HandOff(List.of(), Map.of());

        /** The sent messages that were not handed off. */
        List<Message> rest(List<Message> created) {
            if (messages.isEmpty()) {
                return created;
            }
            List<Message> rest = new ArrayList<>(created);
            rest.removeAll(messages);
            return rest;
        }
    }

    /**
     * Standard queues: hands just-sent messages straight to parked long polls and records their delivery in the
     * send's own commit, so such a receive waits for one sync instead of two (the send's, then its own). Like the
     * send, those receives answer only once the commit is done; until then the messages are in flight, so no one else
     * can receive them, and a failed commit takes them out again. Only when nothing else is receivable (older messages
     * go first, through {@link #serveWaiters}), and only messages without a delay. FIFO queues keep the ordinary path:
     * a group's order and its in-flight rule are decided there. So do messages with a group on a standard queue (a fair
     * queue), whose order among the ready ones {@link Queue#claim} decides.
     */
    private HandOff handOff(Queue queue, List<Message> created, long now, List<StoreChange> changes) {
        if (queue.settings.fifo() || queue.waiters.isEmpty() || created.isEmpty()) {
            return HandOff.NONE;
        }
        for (Message message : created) {
            if (message.group() != null) {
                return HandOff.NONE;
            }
        }
        queue.promote(now);
        if (queue.visibleCount() > 0) {
            return HandOff.NONE;
        }
        List<Message> handed = new ArrayList<>(created.size());
        Map<Waiter, List<ReceivedMessage>> served = new LinkedHashMap<>();
        int next = 0;
        while (next < created.size() && !queue.waiters.isEmpty()) {
            Waiter waiter = queue.waiters.poll();
            if (waiter.result().isDone()) {
                continue;
            }
            int taken = 0;
            for (; next < created.size() && taken < waiter.maxNumberOfMessages(); next++) {
                Message message = created.get(next);
                if (message.visibleAtMillis <= now) {
                    queue.addReserved(message, now);
                    handed.add(message);
                    taken++;
                }
            }
            if (taken == 0) {
                queue.waiters.addFirst(waiter);
                break;
            }
            // Ready held nothing else, and fresh messages are never past a maxReceiveCount: this claims exactly them.
            List<ReceivedMessage> received =
                    claim(queue, taken, waiter.visibilityTimeoutMillis(), now, changes, new ArrayList<>(0));
            served.put(waiter, received);
        }
        if (handed.isEmpty()) {
            return HandOff.NONE;
        }
        if (!queue.waiters.isEmpty()) {
            scheduleWake(queue, queue.nextVisibleAtMillis());
        }
        return new HandOff(handed, served);
    }

    /** Applies the send rules to one message; called holding the queue's lock. */
    private SentMessage accept(
            Queue queue, NewMessage message, long now, List<StoreChange> changes, List<Message> created) {
        QueueSettings settings = queue.settings;
        MessageRules.validate(message, settings);
        String deduplicationId = SendRules.deduplicationId(message, settings);
        String systemMd5 = MessageDigests.ofAttributes(message.systemAttributes());
        String deduplicationKey = null;
        if (deduplicationId != null) {
            deduplicationKey = SendRules.deduplicationKey(message, settings, deduplicationId);
            Queue.Deduplication first = queue.deduplications.get(deduplicationKey);
            if (first != null) {
                return new SentMessage(
                        first.messageId(),
                        MessageDigests.ofBody(message.body()),
                        MessageDigests.ofAttributes(message.messageAttributes()),
                        systemMd5,
                        SequenceNumbers.format(first.sequence()));
            }
        }
        Duration delay = SendRules.delay(message, settings);
        StoredMessage stored = new StoredMessage(
                queue.queueId,
                ids.newId(),
                queue.nextSequence(now),
                message.body(),
                message.messageAttributes(),
                message.systemAttributes(),
                message.senderId(),
                now,
                now,
                message.messageGroupId(),
                deduplicationId,
                null);
        Message made = new Message(stored, now + delay.toMillis());
        changes.add(new StoreChange.PutMessage(made.stored, made.delivery()));
        if (deduplicationKey != null) {
            long expiresAt = now + SqsLimits.DEDUPLICATION_WINDOW.toMillis();
            queue.deduplications.put(
                    deduplicationKey, new Queue.Deduplication(made.id(), stored.sequence(), expiresAt));
            changes.add(new StoreChange.PutDeduplication(
                    new StoredDeduplication(queue.queueId, deduplicationKey, made.id(), stored.sequence(), expiresAt)));
        }
        created.add(made);
        queue.reserve(made);
        return new SentMessage(
                made.id(),
                made.md5OfBody(),
                made.md5OfAttributes(),
                systemMd5,
                settings.fifo() ? SequenceNumbers.format(stored.sequence()) : null);
    }

    /** Makes committed messages receivable and hands them to parked long polls. */
    void deliver(Queue queue, List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        long now = clock.millis();
        boolean serve;
        synchronized (queue) {
            if (queue.deleted) {
                queue.account.add(-messages.size());
                return;
            }
            for (Message message : messages) {
                if (bodiesInStore) {
                    message.releaseBody();
                }
                queue.addReserved(message, now);
            }
            serve = !queue.waiters.isEmpty();
        }
        if (serve) {
            serveWaiters(queue);
        }
    }

    @Override
    public CompletionStage<List<ReceivedMessage>> receive(QueueKey key, ReceiveOptions options) {
        ReceiveRules.validate(options);
        Queue queue = require(key);
        long now = clock.millis();
        List<StoreChange> changes = new ArrayList<>();
        List<Runnable> afterCommit = new ArrayList<>(0);
        String attemptId = queue.settings.fifo() ? options.receiveRequestAttemptId() : null;
        CompletionStage<Void> committed;
        CompletionStage<List<ReceivedMessage>> answer;
        synchronized (queue) {
            List<String> expired = queue.expire(now);
            if (!expired.isEmpty()) {
                changes.add(new StoreChange.DeleteMessages(queue.queueId, expired));
            }
            queue.promote(now);
            List<ReceivedMessage> repeated = attemptId == null ? null : repeatedAttempt(queue, attemptId, now, changes);
            if (repeated != null) {
                return commit(changes).thenApply(done -> repeated);
            }
            long timeout = options.visibilityTimeout()
                    .orElse(queue.settings.visibilityTimeout())
                    .toMillis();
            List<ReceivedMessage> received =
                    claim(queue, options.maxNumberOfMessages(), timeout, now, changes, afterCommit);
            long waitMillis = options.waitTime()
                    .orElse(queue.settings.receiveMessageWaitTime())
                    .toMillis();
            if (received.isEmpty() && waitMillis > 0) {
                CompletableFuture<List<ReceivedMessage>> parked = new CompletableFuture<>();
                queue.waiters.add(new Waiter(options.maxNumberOfMessages(), timeout, now + waitMillis, parked));
                scheduleWake(queue, Math.min(now + waitMillis, queue.nextVisibleAtMillis()));
                committed = commit(changes);
                answer = parked;
            } else {
                if (attemptId != null && !received.isEmpty()) {
                    queue.receiveAttempts.put(
                            attemptId,
                            new Queue.Attempt(received, timeout, now + SqsLimits.RECEIVE_ATTEMPT_WINDOW.toMillis()));
                }
                committed = commit(changes);
                answer = changes.isEmpty()
                        ? CompletableFuture.completedFuture(received)
                        : committed.thenApply(done -> received);
            }
        }
        runAfter(committed, afterCommit);
        return answer;
    }

    /**
     * Gives back what a receive claimed when its answer could not be sent (the reply failed to encode): each message
     * still in flight from that receive becomes visible again, its receive not counted (see {@link Queue#unreceive}).
     * Handles of other receives, and messages deleted or received again since, are left alone.
     */
    @Override
    public CompletionStage<Void> unreceive(QueueKey key, List<String> receiptHandles) {
        Queue queue = queues.get(key);
        if (queue == null) {
            return CompletableFuture.completedFuture(null);
        }
        long now = clock.millis();
        List<StoreChange> changes = new ArrayList<>();
        CompletionStage<Void> committed;
        synchronized (queue) {
            for (String receiptHandle : receiptHandles) {
                ReceiptHandle handle = ReceiptHandle.decode(receiptHandle);
                Message message = queue.byId.get(handle.messageId());
                if (handle.queueId().equals(queue.queueId)
                        && message != null
                        && message.receiveCount == handle.receiveCount()
                        && message.visibleAtMillis > now) {
                    queue.unreceive(message, now);
                    changes.add(new StoreChange.PutDelivery(message.delivery()));
                }
            }
            committed = commit(changes);
        }
        if (!changes.isEmpty()) {
            serveWaiters(queue);
        }
        return committed;
    }

    /**
     * The messages an earlier receive with this attempt id returned that are still in flight from that receive, or
     * null if there was no such receive in the window (or nothing of it is left). SQS: the retry "resets the
     * visibility timeout" (ReceiveMessage API reference), so they are hidden for that receive's timeout again from
     * now; a longer visibility set since is kept.
     */
    private static List<ReceivedMessage> repeatedAttempt(
            Queue queue, String attemptId, long now, List<StoreChange> changes) {
        queue.receiveAttempts.values().removeIf(attempt -> attempt.expiresAtMillis() <= now);
        Queue.Attempt attempt = queue.receiveAttempts.get(attemptId);
        if (attempt == null) {
            return null;
        }
        List<ReceivedMessage> still = new ArrayList<>();
        for (ReceivedMessage received : attempt.received()) {
            Message message = queue.byId.get(received.messageId());
            if (message != null && message.receiveCount == received.receiveCount() && message.visibleAtMillis > now) {
                long visibleAt = Math.min(
                        now + attempt.visibilityTimeoutMillis(),
                        ReceiveRules.inFlightLimitMillis(message.lastReceiveMillis));
                if (visibleAt > message.visibleAtMillis) {
                    queue.reschedule(message, visibleAt, now);
                    changes.add(new StoreChange.PutDelivery(message.delivery()));
                }
                still.add(received);
            }
        }
        return still.isEmpty() ? null : still;
    }

    CompletionStage<Void> commit(List<StoreChange> changes) {
        return changes.isEmpty() ? CompletableFuture.completedFuture(null) : store.commit(changes);
    }

    /**
     * Runs what waits for a commit (making moved messages receivable in their new queue, which takes that queue's
     * lock). Called only after releasing the queue's lock: with a store whose commits complete at once the work runs
     * right here, and under the lock a receive dead-lettering from a source into its dead-letter queue and a move
     * task putting messages from that dead-letter queue back into the source would each hold the lock the other
     * needs.
     */
    static void runAfter(CompletionStage<Void> committed, List<Runnable> afterCommit) {
        if (!afterCommit.isEmpty()) {
            committed.thenRun(() -> afterCommit.forEach(Runnable::run));
        }
    }

    /**
     * Claims messages for one receive, recording their new delivery state. Messages past the redrive policy's
     * maxReceiveCount move to the dead-letter queue instead, in the same commit; they become receivable there once it
     * is done ({@code afterCommit}).
     */
    private List<ReceivedMessage> claim(
            Queue queue, int max, long timeoutMillis, long now, List<StoreChange> changes, List<Runnable> afterCommit) {
        RedrivePolicy redrive = queue.settings.redrivePolicy();
        Queue deadLetterQueue =
                redrive == null ? null : queues.get(redrive.deadLetterTarget().key());
        int maxReceiveCount = deadLetterQueue == null ? 0 : redrive.maxReceiveCount();
        Queue.Claim claim = queue.claim(max, now + timeoutMillis, now, maxReceiveCount);
        List<ReceivedMessage> received = new ArrayList<>(claim.received().size());
        List<StoreChange> moves = List.of();
        List<Message> moved = List.of();
        try {
            for (Message message : claim.received()) {
                received.add(message.received(store));
            }
            if (!claim.deadLettered().isEmpty()) {
                moves = new ArrayList<>();
                String source = queue.key.path();
                moves.add(new StoreChange.DeleteMessages(
                        queue.queueId,
                        claim.deadLettered().stream().map(Message::id).toList()));
                moved = moveInto(deadLetterQueue, claim.deadLettered(), source, now, moves, store);
            }
        } catch (RuntimeException e) {
            // A body the store cannot give back: this receive hands out nothing and counts for nothing, so the
            // messages it took are not dead-lettered later for a receive that never reached anyone.
            claim.received().forEach(message -> queue.unreceive(message, now));
            claim.deadLettered().forEach(message -> queue.add(message, now));
            throw e;
        }
        for (Message message : claim.received()) {
            changes.add(new StoreChange.PutDelivery(message.delivery()));
        }
        if (!moved.isEmpty()) {
            changes.addAll(moves);
            List<Message> copies = moved;
            afterCommit.add(() -> deliver(deadLetterQueue, copies));
        }
        return received;
    }

    /**
     * Copies of messages for another queue (same id, body, attributes, sent time), stored by {@code changes}. SQS:
     * a standard message keeps its enqueue time, so its retention runs on; a FIFO message's starts again.
     */
    static List<Message> moveInto(
            Queue target,
            List<Message> messages,
            String deadLetterSource,
            long now,
            List<StoreChange> changes,
            Store store) {
        List<Message> moved = new ArrayList<>(messages.size());
        for (Message message : messages) {
            Message copy = new Message(
                    message.withBody(store)
                            .movedTo(
                                    target.queueId,
                                    target.nextSequence(now),
                                    deadLetterSource,
                                    target.settings.fifo() ? now : message.enqueuedMillis),
                    now);
            if (deadLetterSource != null) {
                // SQS: a dead-lettered message keeps its receives; its first receive there shows the count go on.
                copy.receiveCount = message.receiveCount;
                copy.firstReceiveMillis = message.firstReceiveMillis;
                copy.lastReceiveMillis = message.lastReceiveMillis;
            }
            changes.add(new StoreChange.PutMessage(copy.stored, copy.delivery()));
            moved.add(copy);
        }
        // Counted in the target's account from now; deliver() adds them as reserved.
        target.account.add(moved.size());
        return moved;
    }

    /** Hands visible messages to parked receives, ends the ones whose wait is over, and sets the next wake-up. */
    private void serveWaiters(Queue queue) {
        long now = clock.millis();
        List<StoreChange> changes = new ArrayList<>();
        Map<Waiter, List<ReceivedMessage>> served = new LinkedHashMap<>();
        List<Waiter> timedOut = new ArrayList<>();
        List<Runnable> afterCommit = new ArrayList<>(0);
        CompletionStage<Void> committed;
        synchronized (queue) {
            // As in receive: a message past the retention period is gone, even if it only now becomes visible.
            List<String> expired = queue.expire(now);
            if (!expired.isEmpty()) {
                changes.add(new StoreChange.DeleteMessages(queue.queueId, expired));
            }
            queue.promote(now);
            while (queue.hasReceivable() && !queue.waiters.isEmpty()) {
                Waiter waiter = queue.waiters.poll();
                if (waiter.result().isDone()) {
                    continue;
                }
                List<ReceivedMessage> received = claim(
                        queue,
                        waiter.maxNumberOfMessages(),
                        waiter.visibilityTimeoutMillis(),
                        now,
                        changes,
                        afterCommit);
                if (received.isEmpty()) {
                    // Everything receivable went to the dead-letter queue: this waiter keeps waiting.
                    queue.waiters.addFirst(waiter);
                } else {
                    served.put(waiter, received);
                }
            }
            long nextDeadline = Long.MAX_VALUE;
            for (Iterator<Waiter> it = queue.waiters.iterator(); it.hasNext(); ) {
                Waiter waiter = it.next();
                if (waiter.deadlineMillis() <= now || waiter.result().isDone()) {
                    it.remove();
                    timedOut.add(waiter);
                } else {
                    nextDeadline = Math.min(nextDeadline, waiter.deadlineMillis());
                }
            }
            if (!queue.waiters.isEmpty()) {
                scheduleWake(queue, Math.min(nextDeadline, queue.nextVisibleAtMillis()));
            }
            committed = commit(changes);
        }
        runAfter(committed, afterCommit);
        timedOut.forEach(waiter -> waiter.result().complete(List.of()));
        answerAfter(committed, served);
    }

    /** Completes parked receives with what they were given once the commit recording it is done. */
    private static void answerAfter(CompletionStage<Void> committed, Map<Waiter, List<ReceivedMessage>> served) {
        if (!served.isEmpty()) {
            committed.whenComplete((done, failure) -> served.forEach((waiter, messages) -> {
                if (failure == null) {
                    waiter.result().complete(messages);
                } else {
                    waiter.result().completeExceptionally(failure);
                }
            }));
        }
    }

    private void scheduleWake(Queue queue, long atMillis) {
        if (atMillis >= queue.wakeAtMillis) {
            return;
        }
        cancelWake(queue);
        queue.wakeAtMillis = atMillis;
        queue.wake = scheduler.schedule(Instant.ofEpochMilli(atMillis), () -> {
            synchronized (queue) {
                queue.wake = null;
                queue.wakeAtMillis = Long.MAX_VALUE;
            }
            serveWaiters(queue);
        });
    }

    private static void cancelWake(Queue queue) {
        if (queue.wake != null) {
            queue.wake.cancel();
            queue.wake = null;
            queue.wakeAtMillis = Long.MAX_VALUE;
        }
    }

    /**
     * FIFO: deleting a group's in-flight message may make the group's next message receivable at once, so parked long
     * polls are served now rather than at their deadline (standard queues park only when nothing is receivable, which a
     * delete does not change).
     */
    private static boolean unblocksWaiters(Queue queue) {
        return queue.settings.fifo() && !queue.waiters.isEmpty();
    }

    @Override
    public CompletionStage<List<Outcome<Void>>> deleteMessages(QueueKey key, List<String> receiptHandles) {
        Queue queue = require(key);
        List<Outcome<Void>> outcomes = new ArrayList<>(receiptHandles.size());
        List<String> deleted = new ArrayList<>(receiptHandles.size());
        long now = clock.millis();
        CompletionStage<Void> committed;
        boolean serve;
        synchronized (queue) {
            for (String receiptHandle : receiptHandles) {
                try {
                    ReceiptHandle handle = ReceiptHandleRules.of(queue.queueId, receiptHandle);
                    // A message that is gone already: the delete succeeds.
                    Message message = queue.byId.get(handle.messageId());
                    if (message != null
                            && ReceiptHandleRules.deletes(
                                    handle,
                                    receiptHandle,
                                    queue.settings.fifo(),
                                    message.receiveCount,
                                    message.visibleAtMillis,
                                    now)) {
                        queue.remove(message);
                        deleted.add(message.id());
                    }
                    outcomes.add(Outcome.success(null));
                } catch (QueueException e) {
                    outcomes.add(Outcome.failure(e));
                }
            }
            committed = deleted.isEmpty()
                    ? CompletableFuture.completedFuture(null)
                    : store.commit(new StoreChange.DeleteMessages(queue.queueId, deleted));
            serve = !deleted.isEmpty() && unblocksWaiters(queue);
        }
        if (serve) {
            serveWaiters(queue);
        }
        return committed.thenApply(done -> outcomes);
    }

    @Override
    public CompletionStage<List<Outcome<Void>>> changeVisibilities(QueueKey key, List<VisibilityChange> requested) {
        Queue queue = require(key);
        long now = clock.millis();
        List<Outcome<Void>> outcomes = new ArrayList<>(requested.size());
        List<StoreChange> changes = new ArrayList<>();
        boolean madeVisible = false;
        CompletionStage<Void> committed;
        synchronized (queue) {
            queue.promote(now);
            for (VisibilityChange change : requested) {
                try {
                    Message message = changeVisibility(queue, change, now);
                    if (message != null) {
                        changes.add(new StoreChange.PutDelivery(message.delivery()));
                        madeVisible |= message.visibleAtMillis <= now;
                    }
                    outcomes.add(Outcome.success(null));
                } catch (QueueException e) {
                    outcomes.add(Outcome.failure(e));
                }
            }
            committed = changes.isEmpty() ? CompletableFuture.completedFuture(null) : store.commit(changes);
        }
        if (madeVisible) {
            // Only after the change is handed to the store: a parked receive may claim the message at once, and its
            // newer delivery state must be stored after this one, not overwritten by it.
            serveWaiters(queue);
        }
        return committed.thenApply(done -> outcomes);
    }

    /** Returns the message whose visibility changed, or null when the change is an accepted no-op. */
    private static Message changeVisibility(Queue queue, VisibilityChange change, long now) {
        // Checked first so a malformed handle is reported as such, whatever the timeout.
        ReceiptHandle handle = ReceiptHandleRules.of(queue.queueId, change.receiptHandle());
        ReceiveRules.requireVisibilityTimeout(change.visibilityTimeout());
        Message message = queue.byId.get(handle.messageId());
        if (message == null) {
            throw ReceiptHandleRules.messageNotAvailable(change.receiptHandle());
        }
        if (!ReceiptHandleRules.changesVisibility(message.visibleAtMillis, now)) {
            return null;
        }
        queue.reschedule(
                message, ReceiveRules.visibleAt(message.lastReceiveMillis, change.visibilityTimeout(), now), now);
        return message;
    }

    // ---- message move tasks (run by MoveTaskRunner)

    @Override
    public CompletionStage<String> startMessageMoveTask(StartMoveTask task) {
        return moveTaskRunner.start(task);
    }

    @Override
    public CompletionStage<List<MessageMoveTask>> listMessageMoveTasks(QueueKey source, int maxResults) {
        return CompletableFuture.completedFuture(moveTaskRunner.list(source, maxResults));
    }

    @Override
    public CompletionStage<Long> cancelMessageMoveTask(String taskHandle) {
        return moveTaskRunner.cancel(taskHandle);
    }

    // ---- helpers

    private Queue require(QueueKey key) {
        Queue queue = queues.get(key);
        if (queue == null) {
            throw new QueueException(QueueError.QUEUE_NOT_FOUND, "The specified queue does not exist.");
        }
        return queue;
    }

    private static QueueInfo info(Queue queue, long now) {
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

    private void commitQuietly(Queue queue, List<String> expired) {
        if (!expired.isEmpty()) {
            commitQuietly(List.of(new StoreChange.DeleteMessages(queue.queueId, expired)));
        }
    }

    /** Commits changes nobody waits for (expired messages); a failure only means they expire again after restart. */
    void commitQuietly(List<StoreChange> changes) {
        if (!changes.isEmpty()) {
            store.commit(changes);
        }
    }
}
