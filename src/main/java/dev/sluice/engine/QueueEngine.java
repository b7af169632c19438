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

    private final Redrive redrive;
    private final LongPolls longPolls;

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
        this.bodiesInStore = store.readsBodiesBack();
        this.redrive = new Redrive(store, queues::get);
        this.longPolls = new LongPolls(store, clock, scheduler, redrive);
        this.moveTaskRunner = new MoveTaskRunner(queues, redrive, longPolls, store, clock, scheduler, ids);
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
                    return CompletableFuture.completedFuture(info(existing));
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
        return committed.thenApply(done -> info(created));
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
        Transition transition = longPolls.transition(clock.millis(), 1);
        synchronized (queue) {
            transition.expire(queue);
            transition.commitQuietly();
            queue.promote(transition.now);
            return CompletableFuture.completedFuture(info(queue));
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
                waiting = queue.waiters.takeAll();
                committed = store.commit(new StoreChange.DeleteQueue(queue.queueId));
            }
        }
        LongPolls.endAll(waiting);
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
        Transition transition = longPolls.transition(clock.millis(), messages.size());
        List<Outcome<SentMessage>> outcomes = new ArrayList<>(messages.size());
        List<Message> created = new ArrayList<>(messages.size());
        CompletionStage<Void> committed;
        LongPolls.HandOff handOff;
        synchronized (queue) {
            if (queue.deleted) {
                throw new QueueException(QueueError.QUEUE_NOT_FOUND, "The specified queue does not exist.");
            }
            if (!queue.account.tryReserve(messages.size(), maxAccountMessages)) {
                throw AccountLimits.overMessageLimit(queue.key.accountId(), maxAccountMessages);
            }
            List<String> expiredKeys = queue.expireDeduplications(transition.now);
            if (!expiredKeys.isEmpty()) {
                transition.add(new StoreChange.DeleteDeduplications(queue.queueId, expiredKeys));
            }
            for (NewMessage message : messages) {
                try {
                    outcomes.add(Outcome.success(accept(queue, message, transition, created)));
                } catch (QueueException e) {
                    outcomes.add(Outcome.failure(e));
                }
            }
            // Refused and duplicate messages store nothing: their reservations go back at once.
            queue.account.add(created.size() - messages.size());
            handOff = longPolls.handOff(queue, created, transition);
            committed = transition.commit();
        }
        longPolls.answerAfter(committed, handOff.served());
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
                    longPolls.deliver(queue, handOff.rest(created));
                    return outcomes;
                });
    }

    /** Applies the send rules to one message; called holding the queue's lock. */
    private SentMessage accept(Queue queue, NewMessage message, Transition transition, List<Message> created) {
        long now = transition.now;
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
        transition.add(new StoreChange.PutMessage(made.stored, made.delivery()));
        if (deduplicationKey != null) {
            long expiresAt = now + SqsLimits.DEDUPLICATION_WINDOW.toMillis();
            queue.deduplications.put(
                    deduplicationKey, new Queue.Deduplication(made.id(), stored.sequence(), expiresAt));
            transition.add(new StoreChange.PutDeduplication(
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

    @Override
    public CompletionStage<List<ReceivedMessage>> receive(QueueKey key, ReceiveOptions options) {
        ReceiveRules.validate(options);
        Queue queue = require(key);
        Transition transition = longPolls.transition(clock.millis(), 1);
        long now = transition.now;
        String attemptId = queue.settings.fifo() ? options.receiveRequestAttemptId() : null;
        CompletionStage<List<ReceivedMessage>> answer;
        synchronized (queue) {
            transition.expire(queue);
            queue.promote(now);
            List<ReceivedMessage> repeated =
                    attemptId == null ? null : queue.receiveAttempts.replay(queue, attemptId, transition);
            if (repeated != null) {
                return transition.commit().thenApply(done -> repeated);
            }
            long timeout = options.visibilityTimeout()
                    .orElse(queue.settings.visibilityTimeout())
                    .toMillis();
            List<ReceivedMessage> received = redrive.claim(queue, options.maxNumberOfMessages(), timeout, transition);
            long waitMillis = options.waitTime()
                    .orElse(queue.settings.receiveMessageWaitTime())
                    .toMillis();
            if (received.isEmpty() && waitMillis > 0) {
                answer = longPolls.park(queue, options.maxNumberOfMessages(), timeout, now + waitMillis);
                transition.commit();
            } else {
                if (attemptId != null && !received.isEmpty()) {
                    queue.receiveAttempts.remember(attemptId, received, timeout, now);
                }
                CompletionStage<Void> committed = transition.commit();
                answer = transition.isEmpty()
                        ? CompletableFuture.completedFuture(received)
                        : committed.thenApply(done -> received);
            }
        }
        transition.runAfterCommit();
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
        Transition transition = longPolls.transition(clock.millis(), receiptHandles.size());
        CompletionStage<Void> committed;
        synchronized (queue) {
            for (String receiptHandle : receiptHandles) {
                ReceiptHandle handle = ReceiptHandle.decode(receiptHandle);
                Message message = queue.byId.get(handle.messageId());
                if (handle.queueId().equals(queue.queueId)
                        && message != null
                        && message.receiveCount == handle.receiveCount()
                        && message.visibleAtMillis > transition.now) {
                    queue.unreceive(message, transition.now);
                    transition.add(new StoreChange.PutDelivery(message.delivery()));
                }
            }
            committed = transition.commit();
        }
        if (!transition.isEmpty()) {
            longPolls.serve(queue);
        }
        return committed;
    }

    @Override
    public CompletionStage<List<Outcome<Void>>> deleteMessages(QueueKey key, List<String> receiptHandles) {
        Queue queue = require(key);
        List<Outcome<Void>> outcomes = new ArrayList<>(receiptHandles.size());
        List<String> deleted = new ArrayList<>(receiptHandles.size());
        Transition transition = longPolls.transition(clock.millis(), 1);
        long now = transition.now;
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
            if (!deleted.isEmpty()) {
                transition.add(new StoreChange.DeleteMessages(queue.queueId, deleted));
            }
            committed = transition.commit();
            serve = !deleted.isEmpty() && LongPolls.unblockedByDelete(queue);
        }
        if (serve) {
            longPolls.serve(queue);
        }
        return committed.thenApply(done -> outcomes);
    }

    @Override
    public CompletionStage<List<Outcome<Void>>> changeVisibilities(QueueKey key, List<VisibilityChange> requested) {
        Queue queue = require(key);
        Transition transition = longPolls.transition(clock.millis(), requested.size());
        long now = transition.now;
        List<Outcome<Void>> outcomes = new ArrayList<>(requested.size());
        boolean madeVisible = false;
        CompletionStage<Void> committed;
        synchronized (queue) {
            queue.promote(now);
            for (VisibilityChange change : requested) {
                try {
                    Message message = changeVisibility(queue, change, now);
                    if (message != null) {
                        transition.add(new StoreChange.PutDelivery(message.delivery()));
                        madeVisible |= message.visibleAtMillis <= now;
                    }
                    outcomes.add(Outcome.success(null));
                } catch (QueueException e) {
                    outcomes.add(Outcome.failure(e));
                }
            }
            committed = transition.commit();
        }
        if (madeVisible) {
            // Only after the change is handed to the store: a parked receive may claim the message at once, and its
            // newer delivery state must be stored after this one, not overwritten by it.
            longPolls.serve(queue);
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
