package dev.sluice.engine;

import dev.sluice.store.Store;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoreSnapshot;
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
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The SQS rules for standard queues: queue lifecycle and attributes, send, receive with visibility timeouts, delays
 * and long polls, delete, visibility changes, retention and purge.
 *
 * <p>The working state lives in memory ({@link Queue}); every transition is committed to the {@link Store} and the
 * caller's stage completes only after that commit, so an acknowledged request is as durable as the store promises. A
 * sent message becomes receivable only once it is committed. Each operation reads the clock once.
 *
 * <p>Changes to a queue are handed to the store while its lock is held (for the stores that is only an enqueue), so
 * the store applies them in the order they happened in memory: a restart never loads an older state over a newer.
 */
public final class QueueEngine {
    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final int MAX_TAGS = 50;
    /** SQS: PurgeQueue and re-creating a deleted queue's name each wait 60 seconds (enforced in strict mode). */
    private static final Duration PURGE_AND_RECREATE_INTERVAL = Duration.ofSeconds(60);

    private final Store store;
    private final InstantSource clock;
    private final Scheduler scheduler;
    private final IdSource ids;
    private final boolean strict;
    private final Map<QueueKey, Queue> queues = new ConcurrentHashMap<>();
    private final Map<QueueKey, Long> deletedAtMillis = new ConcurrentHashMap<>();
    private final Object lifecycleLock = new Object();

    public QueueEngine(Store store, InstantSource clock, Scheduler scheduler, IdSource ids, boolean strict) {
        this.store = store;
        this.clock = clock;
        this.scheduler = scheduler;
        this.ids = ids;
        this.strict = strict;
        load(store.load());
    }

    private void load(StoreSnapshot snapshot) {
        long now = clock.millis();
        Map<String, Queue> byId = new HashMap<>();
        for (StoredQueue stored : snapshot.queues()) {
            Queue queue = new Queue(stored);
            queues.put(queue.key, queue);
            byId.put(queue.queueId, queue);
        }
        for (StoreSnapshot.Entry entry : snapshot.messages()) {
            Queue queue = byId.get(entry.message().queueId());
            if (queue != null) {
                queue.add(Message.restored(entry.message(), entry.delivery()), now);
            }
        }
    }

    // ---- queues

    public CompletionStage<QueueInfo> createQueue(
            QueueKey key, Map<String, String> attributes, Map<String, String> tags) {
        if (!QUEUE_NAME.matcher(key.name()).matches()) {
            throw QueueException.invalidParameter(
                    "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
        }
        QueueSettings settings = QueueSettings.forNewQueue(attributes);
        validateTags(tags);
        long now = clock.millis();
        Queue created;
        synchronized (lifecycleLock) {
            Queue existing = queues.get(key);
            if (existing != null) {
                synchronized (existing) {
                    for (String name : attributes.keySet()) {
                        if (!Objects.equals(
                                settings.values().get(name),
                                existing.settings.values().get(name))) {
                            throw new QueueException(
                                    QueueError.QUEUE_NAME_EXISTS,
                                    "A queue already exists with the same name and a different value for attribute "
                                            + name);
                        }
                    }
                    return CompletableFuture.completedFuture(info(existing, now));
                }
            }
            Long deletedAt = deletedAtMillis.get(key);
            if (strict && deletedAt != null && now - deletedAt < PURGE_AND_RECREATE_INTERVAL.toMillis()) {
                throw new QueueException(
                        QueueError.QUEUE_DELETED_RECENTLY,
                        "You must wait 60 seconds after deleting a queue before you can create another with the same"
                                + " name.");
            }
            created = new Queue(
                    new StoredQueue(ids.newId(), key.accountId(), key.name(), settings.values(), tags, now, now, 0));
            queues.put(key, created);
        }
        CompletionStage<Void> committed;
        synchronized (created) {
            committed = store.commit(new StoreChange.PutQueue(created.stored()));
        }
        return committed.thenApply(done -> info(created, now));
    }

    public QueueInfo queue(QueueKey key) {
        Queue queue = require(key);
        long now = clock.millis();
        synchronized (queue) {
            commitQuietly(queue, queue.expire(now));
            queue.promote(now);
            return info(queue, now);
        }
    }

    /** Names of the account's queues starting with the prefix, sorted. */
    public List<String> queueNames(String accountId, String prefix) {
        return queues.keySet().stream()
                .filter(key -> key.accountId().equals(accountId))
                .map(QueueKey::name)
                .filter(name -> prefix == null || name.startsWith(prefix))
                .sorted()
                .toList();
    }

    public CompletionStage<Void> deleteQueue(QueueKey key) {
        List<Waiter> waiting;
        CompletionStage<Void> committed;
        synchronized (lifecycleLock) {
            Queue queue = require(key);
            queues.remove(key);
            deletedAtMillis.put(key, clock.millis());
            synchronized (queue) {
                queue.deleted = true;
                waiting = new ArrayList<>(queue.waiters);
                queue.waiters.clear();
                cancelWake(queue);
                committed = store.commit(new StoreChange.DeleteQueue(queue.queueId));
            }
        }
        waiting.forEach(waiter -> waiter.result().complete(List.of()));
        return committed;
    }

    public CompletionStage<Void> setAttributes(QueueKey key, Map<String, String> attributes) {
        Queue queue = require(key);
        synchronized (queue) {
            queue.settings = queue.settings.with(attributes);
            queue.lastModifiedMillis = clock.millis();
            return store.commit(new StoreChange.PutQueue(queue.stored()));
        }
    }

    public CompletionStage<Void> tagQueue(QueueKey key, Map<String, String> tags) {
        Queue queue = require(key);
        synchronized (queue) {
            Map<String, String> merged = new LinkedHashMap<>(queue.tags);
            merged.putAll(tags);
            validateTags(merged);
            queue.tags = Map.copyOf(merged);
            return store.commit(new StoreChange.PutQueue(queue.stored()));
        }
    }

    public CompletionStage<Void> untagQueue(QueueKey key, Collection<String> tagKeys) {
        Queue queue = require(key);
        synchronized (queue) {
            Map<String, String> remaining = new LinkedHashMap<>(queue.tags);
            tagKeys.forEach(remaining::remove);
            queue.tags = Map.copyOf(remaining);
            return store.commit(new StoreChange.PutQueue(queue.stored()));
        }
    }

    public CompletionStage<Void> purgeQueue(QueueKey key) {
        Queue queue = require(key);
        long now = clock.millis();
        synchronized (queue) {
            if (strict && queue.purgedWithin(PURGE_AND_RECREATE_INTERVAL, now)) {
                throw new QueueException(
                        QueueError.PURGE_IN_PROGRESS,
                        "Only one PurgeQueue operation on " + key.name() + " is allowed every 60 seconds.");
            }
            queue.lastPurgeMillis = now;
            return store.commit(new StoreChange.DeleteMessages(queue.queueId, queue.clear()));
        }
    }

    // ---- messages

    public CompletionStage<SentMessage> send(QueueKey key, NewMessage message) {
        Queue queue = require(key);
        long now = clock.millis();
        Message created = accept(queue, message, now);
        return commitNew(queue, List.of(new StoreChange.PutMessage(created.stored, created.delivery())))
                .thenApply(done -> {
                    deliver(queue, List.of(created));
                    return sent(created, message);
                });
    }

    public CompletionStage<List<Outcome<SentMessage>>> sendBatch(QueueKey key, List<NewMessage> messages) {
        Queue queue = require(key);
        long now = clock.millis();
        List<Outcome<Message>> accepted = new ArrayList<>(messages.size());
        List<StoreChange> changes = new ArrayList<>(messages.size());
        List<Message> created = new ArrayList<>(messages.size());
        for (NewMessage message : messages) {
            try {
                Message made = accept(queue, message, now);
                accepted.add(Outcome.success(made));
                changes.add(new StoreChange.PutMessage(made.stored, made.delivery()));
                created.add(made);
            } catch (QueueException e) {
                accepted.add(Outcome.failure(e));
            }
        }
        CompletionStage<Void> committed =
                changes.isEmpty() ? CompletableFuture.completedFuture(null) : commitNew(queue, changes);
        return committed.thenApply(done -> {
            deliver(queue, created);
            List<Outcome<SentMessage>> outcomes = new ArrayList<>(messages.size());
            for (int i = 0; i < messages.size(); i++) {
                Outcome<Message> outcome = accepted.get(i);
                outcomes.add(
                        outcome.succeeded()
                                ? Outcome.success(sent(outcome.value(), messages.get(i)))
                                : Outcome.failure(outcome.failure()));
            }
            return outcomes;
        });
    }

    /** Stores new messages unless the queue was deleted meanwhile, so no message outlives its queue on disk. */
    private CompletionStage<Void> commitNew(Queue queue, List<StoreChange> changes) {
        synchronized (queue) {
            if (queue.deleted) {
                throw new QueueException(QueueError.QUEUE_NOT_FOUND, "The specified queue does not exist.");
            }
            return store.commit(changes);
        }
    }

    private Message accept(Queue queue, NewMessage message, long now) {
        QueueSettings settings;
        synchronized (queue) {
            settings = queue.settings;
        }
        MessageRules.validate(message, settings);
        Duration delay = message.delay().orElse(settings.delay());
        long sequence;
        synchronized (queue) {
            sequence = queue.nextSequence(now);
        }
        StoredMessage stored = new StoredMessage(
                queue.queueId,
                ids.newId(),
                sequence,
                message.body(),
                message.messageAttributes(),
                message.systemAttributes(),
                message.senderId(),
                now,
                null,
                null);
        return new Message(stored, now + delay.toMillis());
    }

    private static SentMessage sent(Message message, NewMessage sent) {
        return new SentMessage(
                message.id(),
                message.md5OfBody(),
                message.md5OfAttributes(),
                MessageDigests.ofAttributes(sent.systemAttributes()));
    }

    /** Makes committed messages receivable and hands them to parked long polls. */
    private void deliver(Queue queue, List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        long now = clock.millis();
        boolean serve;
        synchronized (queue) {
            if (queue.deleted) {
                return;
            }
            messages.forEach(message -> queue.add(message, now));
            serve = !queue.waiters.isEmpty();
        }
        if (serve) {
            serveWaiters(queue);
        }
    }

    public CompletionStage<List<ReceivedMessage>> receive(QueueKey key, ReceiveOptions options) {
        if (options.maxNumberOfMessages() < 1 || options.maxNumberOfMessages() > 10) {
            throw QueueException.invalidParameter("Value " + options.maxNumberOfMessages()
                    + " for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.");
        }
        options.visibilityTimeout().ifPresent(timeout -> requireVisibilityTimeout(timeout));
        options.waitTime().ifPresent(wait -> {
            if (wait.isNegative() || wait.compareTo(QueueSettings.MAX_WAIT_TIME) > 0) {
                throw QueueException.invalidParameter("Value " + wait.toSeconds()
                        + " for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.");
            }
        });
        Queue queue = require(key);
        long now = clock.millis();
        List<StoreChange> changes = new ArrayList<>();
        synchronized (queue) {
            List<String> expired = queue.expire(now);
            if (!expired.isEmpty()) {
                changes.add(new StoreChange.DeleteMessages(queue.queueId, expired));
            }
            queue.promote(now);
            long timeout = options.visibilityTimeout()
                    .orElse(queue.settings.visibilityTimeout())
                    .toMillis();
            List<ReceivedMessage> received = claim(queue, options.maxNumberOfMessages(), timeout, now, changes);
            long waitMillis = options.waitTime()
                    .orElse(queue.settings.receiveMessageWaitTime())
                    .toMillis();
            if (received.isEmpty() && waitMillis > 0) {
                CompletableFuture<List<ReceivedMessage>> parked = new CompletableFuture<>();
                queue.waiters.add(new Waiter(options.maxNumberOfMessages(), timeout, now + waitMillis, parked));
                scheduleWake(queue, Math.min(now + waitMillis, queue.nextVisibleAtMillis()));
                commitQuietly(changes);
                return parked;
            }
            if (changes.isEmpty()) {
                return CompletableFuture.completedFuture(received);
            }
            return store.commit(changes).thenApply(done -> received);
        }
    }

    private static List<ReceivedMessage> claim(
            Queue queue, int max, long timeoutMillis, long now, List<StoreChange> changes) {
        List<Message> claimed = queue.claim(max, now + timeoutMillis, now);
        List<ReceivedMessage> received = new ArrayList<>(claimed.size());
        for (Message message : claimed) {
            changes.add(new StoreChange.PutDelivery(message.delivery()));
            received.add(message.received());
        }
        return received;
    }

    /** Hands visible messages to parked receives, ends the ones whose wait is over, and sets the next wake-up. */
    private void serveWaiters(Queue queue) {
        long now = clock.millis();
        List<StoreChange> changes = new ArrayList<>();
        Map<Waiter, List<ReceivedMessage>> served = new LinkedHashMap<>();
        List<Waiter> timedOut = new ArrayList<>();
        CompletionStage<Void> committed;
        synchronized (queue) {
            // As in receive: a message past the retention period is gone, even if it only now becomes visible.
            List<String> expired = queue.expire(now);
            if (!expired.isEmpty()) {
                changes.add(new StoreChange.DeleteMessages(queue.queueId, expired));
            }
            queue.promote(now);
            while (queue.hasReady() && !queue.waiters.isEmpty()) {
                Waiter waiter = queue.waiters.poll();
                if (waiter.result().isDone()) {
                    continue;
                }
                served.put(
                        waiter,
                        claim(queue, waiter.maxNumberOfMessages(), waiter.visibilityTimeoutMillis(), now, changes));
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
            committed = changes.isEmpty() ? CompletableFuture.completedFuture(null) : store.commit(changes);
        }
        timedOut.forEach(waiter -> waiter.result().complete(List.of()));
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

    public CompletionStage<Void> deleteMessage(QueueKey key, String receiptHandle) {
        Queue queue = require(key);
        ReceiptHandle handle = handleOf(queue, receiptHandle);
        synchronized (queue) {
            Message message = queue.byId.get(handle.messageId());
            // SQS: a handle from an earlier receive succeeds but need not delete (DeleteMessage API reference);
            // here it never does, so a message another consumer now holds is not lost. Deleted already: success.
            if (message == null || message.receiveCount != handle.receiveCount()) {
                return CompletableFuture.completedFuture(null);
            }
            queue.remove(message);
            return store.commit(new StoreChange.DeleteMessages(queue.queueId, List.of(handle.messageId())));
        }
    }

    public CompletionStage<List<Outcome<Void>>> deleteMessages(QueueKey key, List<String> receiptHandles) {
        Queue queue = require(key);
        List<Outcome<Void>> outcomes = new ArrayList<>(receiptHandles.size());
        List<String> deleted = new ArrayList<>();
        CompletionStage<Void> committed;
        synchronized (queue) {
            for (String receiptHandle : receiptHandles) {
                try {
                    ReceiptHandle handle = handleOf(queue, receiptHandle);
                    Message message = queue.byId.get(handle.messageId());
                    if (message != null && message.receiveCount == handle.receiveCount()) {
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
        }
        return committed.thenApply(done -> outcomes);
    }

    public CompletionStage<Void> changeVisibility(QueueKey key, String receiptHandle, Duration timeout) {
        return changeVisibilities(key, List.of(new VisibilityChange(receiptHandle, timeout)))
                .thenApply(outcomes -> {
                    if (!outcomes.getFirst().succeeded()) {
                        throw outcomes.getFirst().failure();
                    }
                    return null;
                });
    }

    /** One ChangeMessageVisibility request or batch entry. */
    public record VisibilityChange(String receiptHandle, Duration visibilityTimeout) {}

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
    private Message changeVisibility(Queue queue, VisibilityChange change, long now) {
        // Checked first so a malformed handle is reported as such, whatever the timeout.
        ReceiptHandle handle = handleOf(queue, change.receiptHandle());
        requireVisibilityTimeout(change.visibilityTimeout());
        Message message = queue.byId.get(handle.messageId());
        if (message == null) {
            throw QueueException.invalidParameter("Value " + change.receiptHandle()
                    + " for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available"
                    + " for visibility timeout change.");
        }
        // Real SQS answers 200 and changes nothing when the handle's receive is over: its visibility timeout ran
        // out, or the message was received again since (recorded against AWS in LocalStack's PR #9632).
        if (message.receiveCount != handle.receiveCount() || message.visibleAtMillis <= now) {
            return null;
        }
        long visibleAt = now + change.visibilityTimeout().toMillis();
        // SQS: a message stays in flight at most 12 hours from when it was received.
        if (visibleAt > message.lastReceiveMillis + QueueSettings.MAX_VISIBILITY_TIMEOUT.toMillis()) {
            throw QueueException.invalidParameter(
                    "Value " + change.visibilityTimeout().toSeconds()
                            + " for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message"
                            + " is beyond the limit [43200 seconds]");
        }
        queue.reschedule(message, visibleAt, now);
        return message;
    }

    // ---- helpers

    private Queue require(QueueKey key) {
        Queue queue = queues.get(key);
        if (queue == null) {
            throw new QueueException(QueueError.QUEUE_NOT_FOUND, "The specified queue does not exist.");
        }
        return queue;
    }

    private static ReceiptHandle handleOf(Queue queue, String receiptHandle) {
        ReceiptHandle handle = ReceiptHandle.decode(receiptHandle);
        if (!handle.queueId().equals(queue.queueId)) {
            throw new QueueException(
                    QueueError.RECEIPT_HANDLE_INVALID,
                    "The input receipt handle \"" + receiptHandle + "\" is not a valid receipt handle.");
        }
        return handle;
    }

    private static void requireVisibilityTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.compareTo(QueueSettings.MAX_VISIBILITY_TIMEOUT) > 0) {
            throw QueueException.invalidParameter("Value " + timeout.toSeconds()
                    + " for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.");
        }
    }

    /** SQS tag rules (tagging quotas): at most 50; keys up to 128 and values up to 256 characters; no aws: prefix. */
    private static void validateTags(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw QueueException.invalidParameter("Too many tags added for queue. The maximum is " + MAX_TAGS + ".");
        }
        tags.forEach((tagKey, value) -> {
            if (tagKey == null || tagKey.isEmpty() || tagKey.length() > 128) {
                throw QueueException.invalidParameter("Tag keys must be between 1 and 128 characters in length.");
            }
            if (tagKey.toLowerCase(java.util.Locale.ROOT).startsWith("aws:")) {
                throw QueueException.invalidParameter("Tag keys must not start with 'aws:'.");
            }
            if (value == null || value.length() > 256) {
                throw QueueException.invalidParameter("Tag values must be between 0 and 256 characters in length.");
            }
        });
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
    private void commitQuietly(List<StoreChange> changes) {
        if (!changes.isEmpty()) {
            store.commit(changes);
        }
    }
}
