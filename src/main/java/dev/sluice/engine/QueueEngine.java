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
import dev.sluice.queues.QueueStatistics;
import dev.sluice.queues.Queues;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.Scheduler;
import dev.sluice.queues.SentMessage;
import dev.sluice.queues.StartMoveTask;
import dev.sluice.queues.VisibilityChange;
import dev.sluice.queues.rules.AccountLimits;
import dev.sluice.queues.rules.ReceiptHandle;
import dev.sluice.queues.rules.ReceiptHandleRules;
import dev.sluice.queues.rules.ReceiveRules;
import dev.sluice.queues.rules.SendRules;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.store.Store;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoreSnapshot;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * The embedded backend: the SQS operations over state in memory, each transition committed to a {@link Store}, the
 * caller's stage completing only after that commit, so an acknowledged request is as durable as the store promises.
 * This class orchestrates the message operations (send, receive, delete, visibility changes): it takes the queue's
 * lock, reads the clock once, applies {@code queues.rules}, changes the {@link Queue} and commits a {@link
 * Transition}. The rest is delegated: the queues themselves to {@link QueueCatalog}, waiting receives to {@link
 * LongPolls}, claims and moves between queues to {@link Redrive}, move tasks to {@link MoveTaskRunner}, the admin
 * API's views to {@link QueueBrowser}, the counts for metrics to {@link EngineStatistics}.
 *
 * <p>A sent message becomes receivable only once it is committed, except that a standard queue hands it to a parked
 * long poll in the send's own commit ({@link LongPolls#handOff}). Changes to a queue are handed to the store while its
 * lock is held (for the stores that is only an enqueue), so the store applies them in the order they happened in
 * memory: a restart never loads an older state over a newer.
 */
public final class QueueEngine implements Queues {
    /** The default region when none is given: {@code sluice.region}'s default, as the SDKs' fallback region. */
    public static final String DEFAULT_REGION = "us-east-1";

    /** The store holds two queues the default region makes one ({@link StoredNames}): the engine cannot open it. */
    public static final class StoredQueuesClash extends IllegalStateException {
        StoredQueuesClash(String message) {
            super(message);
        }
    }

    private final InstantSource clock;
    /** The store reads bodies back: committed messages drop theirs ({@link Message#releaseBody}). */
    private final boolean bodiesInStore;

    private final QueueCatalog catalog;
    private final Intake intake;
    private final Redrive redrive;
    private final LongPolls longPolls;
    private final MoveTaskRunner moveTaskRunner;
    private final QueueBrowser browser;
    private final EngineStatistics statistics;

    private final MemoryBudget memory;

    /** An engine whose default region is {@link #DEFAULT_REGION}, without a memory budget (tests, scratch engines). */
    public QueueEngine(Store store, InstantSource clock, Scheduler scheduler, IdSource ids, Strictness strictness) {
        this(store, clock, scheduler, ids, strictness, DEFAULT_REGION, Long.MAX_VALUE);
    }

    /** An engine without a memory budget whose default region is {@code defaultRegion}. */
    public QueueEngine(
            Store store,
            InstantSource clock,
            Scheduler scheduler,
            IdSource ids,
            Strictness strictness,
            String defaultRegion) {
        this(store, clock, scheduler, ids, strictness, defaultRegion, Long.MAX_VALUE);
    }

    /** An engine whose default region is {@link #DEFAULT_REGION}, with a memory budget. */
    public QueueEngine(
            Store store,
            InstantSource clock,
            Scheduler scheduler,
            IdSource ids,
            Strictness strictness,
            long maxIndexBytes) {
        this(store, clock, scheduler, ids, strictness, DEFAULT_REGION, maxIndexBytes);
    }

    /**
     * @param defaultRegion the region of the queues stored without one: those of Sluice before regions, and every
     *     queue of this region ({@code sluice.region}; see {@link StoredNames})
     * @param maxIndexBytes the heap the queued messages' state may take ({@code sluice.memory.max-index}); sends are
     *     refused beyond it ({@link MemoryBudget})
     */
    public QueueEngine(
            Store store,
            InstantSource clock,
            Scheduler scheduler,
            IdSource ids,
            Strictness strictness,
            String defaultRegion,
            long maxIndexBytes) {
        this(store, clock, scheduler, ids, strictness, defaultRegion, PagingPolicy.of(maxIndexBytes));
    }

    /**
     * @param paging the memory budget and, when the store can page ({@link Store#pages()}), when to page ({@code
     *     sluice.memory.*}; {@link Pager})
     */
    public QueueEngine(
            Store store,
            InstantSource clock,
            Scheduler scheduler,
            IdSource ids,
            Strictness strictness,
            String defaultRegion,
            PagingPolicy paging) {
        this.clock = clock;
        this.bodiesInStore = store.readsBodiesBack();
        this.memory = new MemoryBudget(paging.maxIndexBytes(), !bodiesInStore);
        this.catalog = new QueueCatalog(store, clock, ids, strictness, new StoredNames(defaultRegion), memory);
        this.intake = new Intake(ids);
        this.redrive = new Redrive(store, catalog::get);
        this.longPolls = new LongPolls(store, clock, scheduler, redrive);
        this.moveTaskRunner = new MoveTaskRunner(catalog, redrive, longPolls, store, clock, scheduler, ids);
        this.browser = new QueueBrowser(store, clock);
        this.statistics = new EngineStatistics(catalog::all, clock);
        Pager pager = store.pages()
                .map(pages -> new Pager(pages, store, clock, scheduler, memory, paging, catalog::all, longPolls::serve))
                .orElse(null);
        if (pager != null) {
            memory.pageAbove(paging.highWaterBytes(), pager::wake);
        }
        StoreSnapshot snapshot = store.loadWithoutBodies();
        long now = clock.millis();
        catalog.load(snapshot, now, pager);
        if (pager != null && memory.usedBytes() > paging.highWaterBytes()) {
            pager.wake();
        }
        moveTaskRunner.load(snapshot.moveTasks(), now);
    }

    /** Every queue's counts for metrics, read on demand ({@link EngineStatistics}). */
    public QueueStatistics statistics() {
        return statistics;
    }

    // ---- queues (QueueCatalog)

    @Override
    public CompletionStage<QueueInfo> createQueue(
            QueueKey key, Map<String, String> attributes, Map<String, String> tags, int maxQueues) {
        return catalog.create(key, attributes, tags, maxQueues);
    }

    @Override
    public CompletionStage<Void> deleteQueue(QueueKey key) {
        return catalog.delete(key);
    }

    @Override
    public CompletionStage<Void> deleteQueues(String accountId) {
        return catalog.deleteAll(accountId);
    }

    /** Also expires the messages past their retention period, as a receive would, so the counts are current. */
    @Override
    public CompletionStage<QueueInfo> describe(QueueKey key) {
        return CompletableFuture.completedFuture(catalog.describe(key, longPolls.transition(clock.millis(), 1)));
    }

    @Override
    public CompletionStage<List<String>> queueNames(String region, String accountId, String prefix) {
        return CompletableFuture.completedFuture(catalog.names(region, accountId, prefix));
    }

    @Override
    public CompletionStage<List<QueueKey>> queueKeys(Optional<String> accountId) {
        return CompletableFuture.completedFuture(catalog.keys(accountId));
    }

    @Override
    public CompletionStage<List<QueueKey>> deadLetterSourceQueues(QueueKey key) {
        return CompletableFuture.completedFuture(catalog.deadLetterSources(key));
    }

    @Override
    public CompletionStage<Long> messageCount(String accountId) {
        return CompletableFuture.completedFuture(catalog.messageCount(accountId));
    }

    @Override
    public CompletionStage<Void> setAttributes(QueueKey key, Map<String, String> attributes) {
        return catalog.setAttributes(key, attributes);
    }

    @Override
    public CompletionStage<Void> editPolicy(QueueKey key, UnaryOperator<String> edit) {
        return catalog.editPolicy(key, edit);
    }

    @Override
    public CompletionStage<Void> tagQueue(QueueKey key, Map<String, String> tags) {
        return catalog.tag(key, tags);
    }

    @Override
    public CompletionStage<Void> untagQueue(QueueKey key, Collection<String> tagKeys) {
        return catalog.untag(key, tagKeys);
    }

    @Override
    public CompletionStage<Void> purgeQueue(QueueKey key) {
        return catalog.purge(key);
    }

    @Override
    public CompletionStage<MessagePage> peek(QueueKey key, PeekRequest request) {
        return CompletableFuture.completedFuture(browser.peek(catalog.require(key), request));
    }

    // ---- messages

    @Override
    public CompletionStage<SentMessage> send(QueueKey key, NewMessage message, long maxAccountMessages) {
        return send(catalog.require(key), List.of(message), maxAccountMessages).thenApply(Outcome::only);
    }

    @Override
    public CompletionStage<List<Outcome<SentMessage>>> sendBatch(
            QueueKey key, List<NewMessage> messages, long maxAccountMessages) {
        Queue queue = catalog.require(key);
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
            memory.requireRoom();
            if (!queue.account.tryReserve(messages.size(), maxAccountMessages)) {
                throw AccountLimits.overMessageLimit(queue.key.accountId(), maxAccountMessages);
            }
            queue.deduplications.expire(queue.queueId, transition);
            for (NewMessage message : messages) {
                try {
                    outcomes.add(Outcome.success(intake.accept(queue, message, transition, created)));
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

    @Override
    public CompletionStage<List<ReceivedMessage>> receive(QueueKey key, ReceiveOptions options) {
        ReceiveRules.validate(options);
        Queue queue = catalog.require(key);
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
            if (received.isEmpty() && waitMillis > 0 && !longPolls.ended()) {
                answer = longPolls.park(queue, options.maxNumberOfMessages(), timeout, now + waitMillis);
                transition.commit();
            } else {
                if (attemptId != null && !received.isEmpty()) {
                    queue.receiveAttempts.remember(attemptId, received, timeout, now);
                }
                queue.activity.emptyReceives += received.isEmpty() ? 1 : 0;
                CompletionStage<Void> committed = transition.commit();
                if (received.isEmpty()
                        && ReceiveRules.overInFlightLimit(queue.settings.fifo(), waitMillis, queue.inFlightCount())) {
                    answer = committed.thenApply(done -> {
                        throw ReceiveRules.inFlightLimitReached();
                    });
                } else {
                    answer = transition.isEmpty()
                            ? CompletableFuture.completedFuture(received)
                            : committed.thenApply(done -> received);
                }
            }
        }
        transition.runAfterCommit();
        return answer;
    }

    @Override
    public CompletionStage<Void> unreceive(QueueKey key, List<String> receiptHandles) {
        Queue queue = catalog.get(key);
        if (queue == null) {
            return CompletableFuture.completedFuture(null);
        }
        Transition transition = longPolls.transition(clock.millis(), receiptHandles.size());
        CompletionStage<Void> committed;
        synchronized (queue) {
            redrive.giveBack(queue, receiptHandles, transition);
            committed = transition.commit();
        }
        if (!transition.isEmpty()) {
            longPolls.serve(queue);
        }
        return committed;
    }

    @Override
    public CompletionStage<List<Outcome<Void>>> deleteMessages(QueueKey key, List<String> receiptHandles) {
        Queue queue = catalog.require(key);
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
                    queue.activity.deleted++;
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
        Queue queue = catalog.require(key);
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
                    queue.activity.deleted++;
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

    @Override
    public int endLongPolls() {
        return longPolls.endAll(catalog.all());
    }

    // ---- message move tasks (MoveTaskRunner)

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
}
