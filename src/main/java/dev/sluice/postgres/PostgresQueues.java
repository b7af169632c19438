package dev.sluice.postgres;

import dev.sluice.queues.ExecutorScheduler;
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
import dev.sluice.queues.rules.SendRules;
import dev.sluice.queues.rules.SequenceNumbers;
import dev.sluice.queues.rules.SqsLimits;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.queues.rules.Tags;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The PostgreSQL backend: the SQS operations over state in PostgreSQL, so several replicas can serve one set of queues
 * (README, "PostgreSQL backend"). Each operation reads the clock once ({@code now}, the database's clock in production:
 * {@link DatabaseClock}), applies {@code queues.rules} and runs its statements (one round trip for a send batch, a
 * receive and a delete batch); a stage completes once the database committed. Queue rows come from {@link
 * QueueCatalogue} (cached per replica), long polls park in {@link ParkedReceives} and are woken across replicas by
 * {@link Wakeups}.
 *
 * <p>A receipt handle is a {@link ReceiptHandle} whose queue id is the queue row's id (a queue deleted and created
 * again has another) and whose message id is the message's sequence number, so deletes and visibility changes find
 * the row by its primary key; its receive count makes a handle of an earlier receive stale.
 */
public final class PostgresQueues implements Queues, AutoCloseable {
    private static final long DEDUPLICATION_WINDOW_MS = SqsLimits.DEDUPLICATION_WINDOW.toMillis();
    private static final long MAX_IN_FLIGHT_MS = QueueSettings.MAX_VISIBILITY_TIMEOUT.toMillis();
    /**
     * Standard sends, claims and deletes merge while at least this many statements of their kind are in flight
     * ({@code sluice.postgres.merge-from}; 0: never).
     */
    public static final int MERGE_FROM = 1;
    /** The most requests a merged statement takes, and the most rows (messages) it stores, claims or deletes. */
    static final int MERGED_REQUESTS = 10;

    static final int MERGED_ROWS = 100;
    /** How long a statement in flight holds merging requests back at most (one that never answers must not). */
    static final long STALE_AFTER_MS = 1_000;
    /** Standard deletes of every queue share one lane. */
    private static final Boolean MERGED = Boolean.TRUE;

    private final InstantSource clock;
    private final IdSource ids;
    private final Strictness strictness;
    private final QueueCatalogue catalogue;
    private final SendStatements sends;
    private final ClaimStatements claims;
    private final DeleteStatements deletes;
    private final VisibilityStatements visibility;
    private final PurgeStatements purges;
    private final MessageViews views;
    /** Times statements in flight too long to hold merging requests back (its thread starts with the first timer). */
    private final ScheduledThreadPoolExecutor mergeTimer = mergeTimer();

    private final MergedClaims mergedClaims;
    private final Coalescer<Long, SendStatements.Sending, List<SentRow>> mergedSends;
    private final Coalescer<Boolean, DeleteStatements.Deletion, Set<Long>> mergedDeletes;
    private final ParkedReceives parked;
    private final CatalogueNotices notices;
    private final ReceiveAttempts attempts;
    private final Sweeper sweeper;
    private final MoveTaskRunner moveTasks;
    private final ReplicaActivity activity = new ReplicaActivity();
    private final PostgresStatistics statistics;
    private Wakeups wakeups;
    private BackgroundLease lease;

    public PostgresQueues(
            Pool pool,
            InstantSource clock,
            dev.sluice.queues.Scheduler scheduler,
            IdSource ids,
            Strictness strictness,
            String region) {
        this(pool, clock, scheduler, ids, strictness, region, MERGE_FROM);
    }

    /** {@code mergeFrom}: standard sends, claims and deletes merge while that many of their kind are in flight (0: never). */
    public PostgresQueues(
            Pool pool,
            InstantSource clock,
            dev.sluice.queues.Scheduler scheduler,
            IdSource ids,
            Strictness strictness,
            String region,
            int mergeFrom) {
        this.clock = clock;
        this.ids = ids;
        this.strictness = strictness;
        this.catalogue = new QueueCatalogue(pool, region);
        this.sends = new SendStatements(pool);
        this.claims = new ClaimStatements(pool);
        this.deletes = new DeleteStatements(pool);
        this.visibility = new VisibilityStatements(pool);
        this.purges = new PurgeStatements(pool);
        this.views = new MessageViews(pool, region);
        this.statistics = new PostgresStatistics(pool, clock, region, activity);
        Coalescer.Limits merging = new Coalescer.Limits(
                mergeFrom == 0 ? Integer.MAX_VALUE : mergeFrom, MERGED_REQUESTS, MERGED_ROWS, STALE_AFTER_MS);
        // Statements that hang are timed in real time, not on the injected clock: a database that stops answering is
        // not something a test's fake clock models, and its timers would count among the test's pending tasks.
        InstantSource realTime = InstantSource.system();
        Scheduler staleTimer = new ExecutorScheduler(realTime, mergeTimer);
        this.mergedClaims = new MergedClaims(claims, clock, realTime, staleTimer, merging);
        this.mergedSends = new Coalescer<>(
                merging, sending -> sending.messages().size(), sends::sendStandard, realTime, staleTimer);
        this.mergedDeletes = new Coalescer<>(
                merging, deletion -> deletion.handles().size(), deletes::deleteStandard, realTime, staleTimer);
        this.parked = new ParkedReceives(clock, scheduler);
        this.notices = new CatalogueNotices(catalogue);
        this.attempts = new ReceiveAttempts(pool);
        this.sweeper = new Sweeper(pool);
        this.moveTasks = new MoveTaskRunner(
                pool, catalogue, clock, scheduler, ids, () -> lease != null && lease.holding(), this::wake);
    }

    /**
     * Starts the control connection (wake-ups from other replicas and catalogue invalidation) and the background
     * lease's (retention sweeps and move tasks on one replica at a time).
     */
    public PostgresQueues connect(io.vertx.core.Vertx vertx, Pool pool, io.vertx.pgclient.PgConnectOptions connect) {
        this.wakeups = new Wakeups(vertx, pool, connect, notices, parked::wake, parked::waitingOn);
        this.lease = new BackgroundLease(vertx, connect, new BackgroundWork(moveTasks, sweeper, clock));
        return this;
    }

    /** Every queue's counts for {@code /q/metrics} ({@link PostgresStatistics}). */
    public dev.sluice.queues.QueueStatistics statistics() {
        return statistics;
    }

    /** Tenants and keys in this database; other replicas' changes are heard on this replica's control connection. */
    public dev.sluice.auth.TenantStorage tenants(Pool pool) {
        return notices.tenants(new PostgresTenants(pool));
    }

    /** Completes once this replica has tried for the background lease once (taken or not). */
    public CompletionStage<Void> started() {
        return lease == null
                ? Future.<Void>succeededFuture().toCompletionStage()
                : lease.started().toCompletionStage();
    }

    /** Whether this replica holds the background lease. */
    public boolean leading() {
        return lease != null && lease.leading();
    }

    /** Deletes what nothing reads any more, as the lease holder does every few seconds; completes with the rows. */
    public CompletionStage<Long> sweep() {
        return sweeper.sweep(clock.millis()).toCompletionStage();
    }

    @Override
    public void close() {
        mergeTimer.shutdownNow();
        if (lease != null) {
            lease.close();
        }
        if (wakeups != null) {
            wakeups.close();
        }
    }

    // ---- queues

    @Override
    public CompletionStage<QueueInfo> createQueue(
            QueueKey key, Map<String, String> attributes, Map<String, String> tags, int maxQueues) {
        QueueSettings settings = QueueSettings.forNewQueue(attributes);
        QueueNames.validate(key.name(), settings.fifo());
        Tags.validate(tags);
        return catalogue
                .checkRedrive(key, settings)
                .compose(checked -> catalogue.find(key))
                .compose(existing -> {
                    if (existing != null) {
                        QueueNames.requireSameAttributes(attributes, settings, existing.settings());
                        return info(existing);
                    }
                    long now = clock.millis();
                    return catalogue
                            .lastDeleted(key)
                            .compose(deletedAt -> {
                                strictness.requireRecreatable(deletedAt, now);
                                return catalogue.insert(key, settings, tags, now, maxQueues);
                            })
                            .compose(created -> created != null
                                    ? info(created)
                                    : catalogue.find(key).compose(raced -> {
                                        if (raced == null) {
                                            AccountLimits.requireRoomForQueue(key.accountId(), maxQueues, maxQueues);
                                            throw QueueCatalogue.notFound();
                                        }
                                        QueueNames.requireSameAttributes(attributes, settings, raced.settings());
                                        return info(raced);
                                    }));
                })
                .toCompletionStage();
    }

    @Override
    public CompletionStage<Void> deleteQueue(QueueKey key) {
        return onQueue(key, row -> catalogue.delete(row, clock.millis()).onSuccess(done -> parked.endQueue(row.id())));
    }

    @Override
    public CompletionStage<Void> deleteQueues(String accountId) {
        return catalogue
                .keys(Optional.of(accountId))
                .compose(keys -> {
                    List<Future<Void>> deleted = new ArrayList<>();
                    for (QueueKey key : keys) {
                        deleted.add(catalogue
                                .find(key)
                                .compose(row -> row == null
                                        ? Future.succeededFuture()
                                        : catalogue.delete(row, clock.millis())));
                    }
                    return Future.all(deleted).<Void>mapEmpty();
                })
                .toCompletionStage();
    }

    @Override
    public CompletionStage<QueueInfo> describe(QueueKey key) {
        return onQueue(key, this::info);
    }

    private Future<QueueInfo> info(QueueRow row) {
        long now = clock.millis();
        return views.counts(row.id(), now, expiredBefore(row, now))
                .map(counts -> new QueueInfo(
                        row.key(),
                        row.settings(),
                        row.tags(),
                        Instant.ofEpochMilli(row.createdAt()),
                        Instant.ofEpochMilli(row.lastModifiedAt()),
                        counts.visible(),
                        counts.inFlight(),
                        counts.delayed()));
    }

    @Override
    public CompletionStage<List<String>> queueNames(String region, String accountId, String prefix) {
        return catalogue.names(region, accountId, prefix).toCompletionStage();
    }

    @Override
    public CompletionStage<List<QueueKey>> queueKeys(Optional<String> accountId) {
        return catalogue.keys(accountId).toCompletionStage();
    }

    @Override
    public CompletionStage<List<QueueKey>> deadLetterSourceQueues(QueueKey key) {
        return onQueue(key, row -> catalogue.deadLetterSources(key));
    }

    /** Counted in the database, so sends on other replicas count too. */
    @Override
    public CompletionStage<Long> messageCount(String accountId) {
        return views.accountCount(accountId, clock.millis()).toCompletionStage();
    }

    @Override
    public CompletionStage<Void> setAttributes(QueueKey key, Map<String, String> attributes) {
        QueueRow cached = catalogue.cached(key);
        if (cached != null) {
            // What the arguments alone break is thrown at once; checked again on the locked row below.
            QueueSettings changed = cached.settings().with(attributes);
            if (attributes.containsKey(QueueSettings.REDRIVE_POLICY)) {
                catalogue.checkRedrive(key, changed);
            }
        }
        return catalogue
                .changeAttributes(key, clock.millis(), row -> {
                    QueueSettings changed = row.settings().with(attributes);
                    if (!attributes.containsKey(QueueSettings.REDRIVE_POLICY)) {
                        return Future.succeededFuture(changed);
                    }
                    return catalogue.checkRedrive(key, changed).map(checked -> changed);
                })
                .toCompletionStage();
    }

    /** Atomic across replicas: the queue's row is locked ({@code FOR UPDATE}) from the read to the write. */
    @Override
    public CompletionStage<Void> editPolicy(QueueKey key, UnaryOperator<String> edit) {
        return catalogue
                .changeAttributes(key, clock.millis(), row -> {
                    String edited = edit.apply(row.settings().values().get(QueueSettings.POLICY));
                    return Future.succeededFuture(
                            row.settings().with(Map.of(QueueSettings.POLICY, edited == null ? "" : edited)));
                })
                .toCompletionStage();
    }

    @Override
    public CompletionStage<Void> tagQueue(QueueKey key, Map<String, String> tags) {
        return catalogue.changeTags(key, current -> Tags.tagged(current, tags)).toCompletionStage();
    }

    @Override
    public CompletionStage<Void> untagQueue(QueueKey key, Collection<String> tagKeys) {
        return catalogue
                .changeTags(key, current -> Tags.untagged(current, tagKeys))
                .toCompletionStage();
    }

    @Override
    public CompletionStage<Void> purgeQueue(QueueKey key) {
        long now = clock.millis();
        return catalogue
                .fresh(key)
                .compose(row -> {
                    strictness.requirePurgeable(key, row.lastPurgedAt(), now);
                    return purges.purge(row.id(), now).compose(done -> catalogue.announceChange(key));
                })
                .toCompletionStage();
    }

    @Override
    public CompletionStage<MessagePage> peek(QueueKey key, PeekRequest request) {
        return onQueue(key, row -> views.peek(row, request, clock.millis()));
    }

    // ---- messages

    @Override
    public CompletionStage<SentMessage> send(QueueKey key, NewMessage message, long maxAccountMessages) {
        return onQueue(
                key, row -> send(row, List.of(message), maxAccountMessages).map(Outcome::only));
    }

    @Override
    public CompletionStage<List<Outcome<SentMessage>>> sendBatch(
            QueueKey key, List<NewMessage> messages, long maxAccountMessages) {
        return catalogue
                .require(key)
                .compose(row -> {
                    SendRules.requireBatchIds(row.settings(), messages);
                    return send(row, messages, maxAccountMessages);
                })
                .toCompletionStage();
    }

    /**
     * Sends each message on its own terms and stores the accepted ones in one statement (one round trip). A tenant's
     * message limit is reserved in the same transaction, before the insert ({@link AccountReservation}): exact under
     * concurrent sends on any replicas, and no round trip of its own.
     */
    private Future<List<Outcome<SentMessage>>> send(QueueRow row, List<NewMessage> messages, long maxAccountMessages) {
        if (maxAccountMessages == AccountLimits.NO_MESSAGE_LIMIT) {
            return store(row, messages, AccountLimits.NO_MESSAGE_LIMIT);
        }
        return store(row, messages, maxAccountMessages).recover(failure -> {
            if (AccountReservation.refused(failure)) {
                return Future.failedFuture(
                        AccountLimits.overMessageLimit(row.key().accountId(), maxAccountMessages));
            }
            return Future.failedFuture(failure);
        });
    }

    private Future<List<Outcome<SentMessage>>> store(QueueRow row, List<NewMessage> messages, long maxAccountMessages) {
        QueueSettings settings = row.settings();
        long now = clock.millis();
        int n = messages.size();
        List<Outcome<SentMessage>> outcomes = new ArrayList<>(n);
        List<OutgoingMessage> outgoing = new ArrayList<>(n);
        // Which stored message answers each entry: its index in outgoing, or -1 for a refused entry.
        int[] answeredBy = new int[n];
        long[] sizes = new long[n];
        boolean[] repeated = new boolean[n];
        String[] md5OfBodies = new String[n];
        Map<String, Integer> firstWithKey = new HashMap<>();
        for (int i = 0; i < n; i++) {
            NewMessage message = messages.get(i);
            answeredBy[i] = -1;
            try {
                sizes[i] = MessageRules.validate(message, settings);
                byte[] bodyMd5 = MessageDigests.bodyDigest(message.body());
                md5OfBodies[i] = MessageDigests.hex(bodyMd5);
                String deduplicationId = SendRules.deduplicationId(message, settings);
                String deduplicationKey =
                        deduplicationId == null ? null : SendRules.deduplicationKey(message, settings, deduplicationId);
                Integer earlier = deduplicationKey == null ? null : firstWithKey.get(deduplicationKey);
                if (earlier != null) {
                    // A repeat within the batch is a duplicate of the first: one statement cannot upsert a key twice.
                    answeredBy[i] = earlier;
                    repeated[i] = true;
                } else {
                    answeredBy[i] = outgoing.size();
                    if (deduplicationKey != null) {
                        firstWithKey.put(deduplicationKey, outgoing.size());
                    }
                    outgoing.add(new OutgoingMessage(
                            UUID.fromString(ids.newId()),
                            SendRules.delay(message, settings).toMillis(),
                            message.messageGroupId(),
                            deduplicationId,
                            deduplicationKey,
                            AttributeCodec.encode(message.messageAttributes(), message.systemAttributes()),
                            message.body(),
                            bodyMd5));
                }
                outcomes.add(null);
            } catch (QueueException e) {
                outcomes.add(Outcome.failure(e));
            }
        }
        if (outgoing.isEmpty()) {
            return Future.succeededFuture(outcomes);
        }
        String senderId = messages.getFirst().senderId();
        // As in the embedded engine, the whole batch must fit, entries the rules refused and duplicates included.
        Pipeline.Step reservation = maxAccountMessages == AccountLimits.NO_MESSAGE_LIMIT
                ? null
                : AccountReservation.of(row.key().accountId(), n, maxAccountMessages, now);
        Future<List<SentRow>> stored = settings.fifo()
                ? sends.sendFifo(
                        row.id(),
                        now,
                        senderId,
                        settings.delay().toMillis(),
                        DEDUPLICATION_WINDOW_MS,
                        outgoing,
                        reservation)
                : reservation == null
                        ? mergedSends.submit(row.id(), new SendStatements.Sending(row.id(), now, senderId, outgoing))
                        : sends.sendStandard(row.id(), now, senderId, outgoing, reservation);
        ReplicaActivity.Counters counters = activity.of(row.key());
        return stored.map(rows -> {
            boolean added = false;
            for (int i = 0; i < n; i++) {
                if (answeredBy[i] < 0) {
                    continue;
                }
                SentRow sent = rows.get(answeredBy[i]);
                added |= !sent.duplicate();
                if (sent.duplicate() || repeated[i]) {
                    counters.deduplicated.increment();
                } else {
                    counters.sent.increment();
                    counters.sentBytes.add(sizes[i]);
                }
                NewMessage message = messages.get(i);
                outcomes.set(
                        i,
                        Outcome.success(new SentMessage(
                                sent.messageId().toString(),
                                md5OfBodies[i],
                                MessageDigests.ofAttributes(message.messageAttributes()),
                                MessageDigests.ofAttributes(message.systemAttributes()),
                                settings.fifo() ? SequenceNumbers.format(sent.seq()) : null)));
            }
            if (added) {
                wake(row.id());
            }
            return outcomes;
        });
    }

    @Override
    public CompletionStage<List<ReceivedMessage>> receive(QueueKey key, ReceiveOptions options) {
        ReceiveRules.validate(options);
        // The wait runs from the request, whatever the lookups before the first claim take.
        long start = clock.millis();
        return catalogue
                .require(key)
                .compose(row -> replay(row, options.receiveRequestAttemptId())
                        .compose(replayed -> replayed != null
                                ? Future.succeededFuture(replayed)
                                : deadLetterQueueOf(row).compose(deadLetters -> {
                                    QueueSettings settings = row.settings();
                                    long timeout = options.visibilityTimeout()
                                            .orElse(settings.visibilityTimeout())
                                            .toMillis();
                                    long wait = options.waitTime()
                                            .orElse(settings.receiveMessageWaitTime())
                                            .toMillis();
                                    int max = options.maxNumberOfMessages();
                                    String attemptId = options.receiveRequestAttemptId();
                                    if (wait == 0 || parked.ended()) {
                                        return claim(row, deadLetters, max, timeout, attemptId);
                                    }
                                    if (wakeups != null) {
                                        wakeups.listen(row.id());
                                    }
                                    return Future.fromCompletionStage(parked.park(
                                            row.id(),
                                            start + wait,
                                            () -> claim(row, deadLetters, max, timeout, attemptId),
                                            lost -> unreceive(
                                                    row,
                                                    lost.stream()
                                                            .map(ReceivedMessage::receiptHandle)
                                                            .toList())));
                                }))
                        .onSuccess(received -> {
                            ReplicaActivity.Counters counters = activity.of(key);
                            if (received.isEmpty()) {
                                counters.emptyReceives.increment();
                            } else {
                                counters.received.add(received.size());
                            }
                        }))
                .toCompletionStage();
    }

    /**
     * FIFO: the answer of an earlier receive with this ReceiveRequestAttemptId, if one is in the window and some of its
     * messages are still in flight from it; else null.
     */
    private Future<List<ReceivedMessage>> replay(QueueRow row, String attemptId) {
        if (attemptId == null || !row.settings().fifo()) {
            return Future.succeededFuture();
        }
        return attempts.replay(row.id(), attemptId, clock.millis())
                .map(replayed -> replayed.isEmpty()
                        ? null
                        : replayed.stream()
                                .map(again -> received(row, again.row(), again.receivedAt(), true))
                                .toList());
    }

    /** The dead-letter queue the queue's redrive policy names, or null (no policy, or its target is gone). */
    private Future<QueueRow> deadLetterQueueOf(QueueRow row) {
        RedrivePolicy policy = row.settings().redrivePolicy();
        return policy == null
                ? Future.succeededFuture()
                : catalogue.find(policy.deadLetterTarget().key());
    }

    private Future<List<ReceivedMessage>> claim(
            QueueRow row, QueueRow deadLetters, int max, long timeoutMillis, String attemptId) {
        if (!row.settings().fifo()) {
            return mergedClaims
                    .claim(claimRequest(row, deadLetters, max, timeoutMillis))
                    .map(claimed -> received(row, claimed.rows(), claimed.now(), false));
        }
        long now = clock.millis();
        long expiredBefore = expiredBefore(row, now);
        Future<List<ClaimedRow>> claimed;
        if (deadLetters == null) {
            claimed = claims.claimFifo(row.id(), now, now + timeoutMillis, expiredBefore, max);
        } else {
            int maxReceiveCount = row.settings().redrivePolicy().maxReceiveCount();
            claimed = claims.claimAfterMoving(
                    true,
                    deadLetterMove(row, deadLetters, true).at(now, expiredBefore),
                    row.id(),
                    now,
                    now + timeoutMillis,
                    expiredBefore,
                    max,
                    maxReceiveCount);
        }
        if (attemptId != null) {
            claimed = claimed.compose(rows -> rows.isEmpty()
                    ? Future.succeededFuture(rows)
                    : attempts.remember(row.id(), attemptId, rows, timeoutMillis, now)
                            .map(done -> rows));
        }
        return claimed.map(rows -> received(row, rows, now, true));
    }

    /** A standard receive's claim, merged with others of the same queue and terms while claims are in flight. */
    private MergedClaims.Request claimRequest(QueueRow row, QueueRow deadLetters, int max, long timeoutMillis) {
        long retention = row.settings().messageRetentionPeriod().toMillis();
        if (deadLetters == null) {
            return new MergedClaims.Request(new MergedClaims.Key(row.id(), timeoutMillis, retention, 0, 0), max, null);
        }
        int maxReceiveCount = row.settings().redrivePolicy().maxReceiveCount();
        return new MergedClaims.Request(
                new MergedClaims.Key(row.id(), timeoutMillis, retention, deadLetters.id(), maxReceiveCount),
                max,
                deadLetterMove(row, deadLetters, false));
    }

    /** The move of messages at maxReceiveCount to the dead-letter queue, run before a claim in its transaction. */
    private MergedClaims.DeadLetterMove deadLetterMove(QueueRow row, QueueRow deadLetters, boolean fifo) {
        int maxReceiveCount = row.settings().redrivePolicy().maxReceiveCount();
        ReplicaActivity.Counters counters = activity.of(row.key());
        return (now, expiredBefore) -> DeadLetterStatements.move(
                fifo,
                row.id(),
                now,
                maxReceiveCount,
                expiredBefore,
                deadLetters.id(),
                QueuePath.of(row.key(), catalogue.region()),
                moved -> {
                    if (moved > 0) {
                        counters.deadLettered.add(moved);
                        wake(deadLetters.id());
                    }
                });
    }

    private static List<ReceivedMessage> received(QueueRow row, List<ClaimedRow> rows, long now, boolean fifo) {
        List<ReceivedMessage> received = new ArrayList<>(rows.size());
        for (ClaimedRow claimedRow : rows) {
            received.add(received(row, claimedRow, now, fifo));
        }
        return received;
    }

    /** The message as a receive at {@code receivedAt} returned it (its receipt handle names that receive). */
    private static ReceivedMessage received(QueueRow queue, ClaimedRow row, long receivedAt, boolean fifo) {
        AttributeCodec.Attributes attributes = AttributeCodec.decode(row.attributes());
        String handle =
                new ReceiptHandle(queue.handleId(), Long.toString(row.seq()), row.receiveCount(), receivedAt).encode();
        String source = row.deadLetterSource();
        return new ReceivedMessage(
                row.messageId().toString(),
                handle,
                row.body(),
                row.md5OfBody(),
                attributes.message(),
                MessageDigests.ofAttributes(attributes.message()),
                attributes.system(),
                row.senderId(),
                Instant.ofEpochMilli(row.sentAt()),
                row.receiveCount(),
                Instant.ofEpochMilli(row.firstReceivedAt()),
                row.groupId(),
                fifo ? row.deduplicationId() : null,
                fifo ? SequenceNumbers.format(row.seq()) : null,
                source == null ? null : QueuePath.parse(queue.key().region(), source));
    }

    /**
     * Makes the messages of a receive whose answer was lost visible again. Unlike the embedded engine, the lost receive
     * still counts toward maxReceiveCount.
     */
    @Override
    public CompletionStage<Void> unreceive(QueueKey key, List<String> receiptHandles) {
        return catalogue
                .find(key)
                .compose(row -> row == null ? Future.<Void>succeededFuture() : unreceive(row, receiptHandles))
                .toCompletionStage();
    }

    private Future<Void> unreceive(QueueRow row, List<String> receiptHandles) {
        long now = clock.millis();
        List<dev.sluice.postgres.VisibilityChange> changes = new ArrayList<>();
        for (String receiptHandle : receiptHandles) {
            ReceiptHandle handle = ReceiptHandle.decode(receiptHandle);
            if (handle.queueId().equals(row.handleId())) {
                changes.add(new dev.sluice.postgres.VisibilityChange(handleOf(handle, receiptHandle), now));
            }
        }
        if (changes.isEmpty()) {
            return Future.succeededFuture();
        }
        return changeVisibility(row, now, changes)
                .onSuccess(rows -> visibleAgain(row.id()))
                .mapEmpty();
    }

    @Override
    public CompletionStage<List<Outcome<Void>>> deleteMessages(QueueKey key, List<String> receiptHandles) {
        return onQueue(key, row -> deleteMessages(row, receiptHandles));
    }

    private Future<List<Outcome<Void>>> deleteMessages(QueueRow row, List<String> receiptHandles) {
        long now = clock.millis();
        boolean fifo = row.settings().fifo();
        int n = receiptHandles.size();
        List<Outcome<Void>> outcomes = new ArrayList<>(n);
        List<Handle> handles = new ArrayList<>(n);
        List<Integer> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String receiptHandle = receiptHandles.get(i);
            try {
                handles.add(handleOf(ReceiptHandleRules.of(row.handleId(), receiptHandle), receiptHandle));
                entries.add(i);
                outcomes.add(Outcome.success(null));
            } catch (QueueException e) {
                outcomes.add(Outcome.failure(e));
            }
        }
        if (handles.isEmpty()) {
            return Future.succeededFuture(outcomes);
        }
        ReplicaActivity.Counters counters = activity.of(row.key());
        if (!fifo) {
            return mergedDeletes
                    .submit(MERGED, new DeleteStatements.Deletion(row.id(), handles))
                    .map(deleted -> {
                        counters.deleted.add(handles.size());
                        return outcomes;
                    });
        }
        return deletes.deleteFifoReporting(row.id(), now, handles).map(result -> {
            // SQS FIFO: a handle whose receive is over (timed out, or received again since) is refused while its
            // message is still there; a message that is gone is the caller's success.
            for (int j = 0; j < handles.size(); j++) {
                Handle handle = handles.get(j);
                if (result.kept().contains(handle.seq())) {
                    int entry = entries.get(j);
                    try {
                        ReceiptHandleRules.deletes(
                                ReceiptHandle.decode(receiptHandles.get(entry)),
                                receiptHandles.get(entry),
                                true,
                                -1,
                                now,
                                now);
                    } catch (QueueException e) {
                        outcomes.set(entry, Outcome.failure(e));
                    }
                }
            }
            if (!result.deleted().isEmpty()) {
                wake(row.id());
            }
            counters.deleted.add(outcomes.stream().filter(Outcome::succeeded).count());
            return outcomes;
        });
    }

    @Override
    public CompletionStage<List<Outcome<Void>>> changeVisibilities(QueueKey key, List<VisibilityChange> requested) {
        return onQueue(key, row -> changeVisibilities(row, requested));
    }

    private Future<List<Outcome<Void>>> changeVisibilities(QueueRow row, List<VisibilityChange> requested) {
        long now = clock.millis();
        int n = requested.size();
        List<Outcome<Void>> outcomes = new ArrayList<>(n);
        List<dev.sluice.postgres.VisibilityChange> changes = new ArrayList<>(n);
        List<Integer> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            VisibilityChange change = requested.get(i);
            try {
                ReceiptHandle handle = ReceiptHandleRules.of(row.handleId(), change.receiptHandle());
                ReceiveRules.requireVisibilityTimeout(change.visibilityTimeout());
                // Receive count 0: any handle of the message applies while it is in flight (AWS).
                changes.add(new dev.sluice.postgres.VisibilityChange(
                        new Handle(handleOf(handle, change.receiptHandle()).seq(), 0),
                        now + change.visibilityTimeout().toMillis()));
                entries.add(i);
                outcomes.add(Outcome.success(null));
            } catch (QueueException e) {
                outcomes.add(Outcome.failure(e));
            }
        }
        if (changes.isEmpty()) {
            return Future.succeededFuture(outcomes);
        }
        return changeVisibility(row, now, changes).map(rows -> {
            boolean madeVisible = false;
            for (int j = 0; j < rows.size(); j++) {
                VisibilityRow result = rows.get(j);
                int entry = entries.get(j);
                VisibilityChange change = requested.get(entry);
                try {
                    if (!result.found()) {
                        throw ReceiptHandleRules.messageNotAvailable(change.receiptHandle());
                    }
                    if (!result.changed() && ReceiptHandleRules.changesVisibility(result.visibleAt(), now)) {
                        // In flight but unchanged: over the 12-hour limit since its last receive.
                        ReceiveRules.visibleAt(result.lastReceivedAt(), change.visibilityTimeout(), now);
                    }
                    madeVisible |=
                            result.changed() && change.visibilityTimeout().isZero();
                } catch (QueueException e) {
                    outcomes.set(entry, Outcome.failure(e));
                }
            }
            if (madeVisible) {
                visibleAgain(row.id());
            }
            return outcomes;
        });
    }

    private static Handle handleOf(ReceiptHandle handle, String receiptHandle) {
        try {
            return new Handle(Long.parseLong(handle.messageId()), handle.receiveCount());
        } catch (NumberFormatException e) {
            throw new QueueException(
                    QueueError.RECEIPT_HANDLE_INVALID,
                    "The input receipt handle \"" + receiptHandle + "\" is not a valid receipt handle.");
        }
    }

    /** Something may be receivable on the queue: polls parked here claim, and other replicas' are notified. */
    private void wake(long queueId) {
        parked.wake(queueId);
        if (wakeups != null) {
            wakeups.wakeOthers(queueId);
        }
    }

    /**
     * Messages of the queue are visible again before where this replica's claims start: its next claim of the queue
     * starts from the beginning ({@link ClaimStarts}), and polls are woken.
     */
    private void visibleAgain(long queueId) {
        claims.rewind(queueId);
        wake(queueId);
    }

    /** Runs an operation on the live queue (QUEUE_NOT_FOUND if there is none). */
    private <T> CompletionStage<T> onQueue(QueueKey key, Function<QueueRow, Future<T>> operation) {
        return catalogue.require(key).compose(operation).toCompletionStage();
    }

    private Future<List<VisibilityRow>> changeVisibility(
            QueueRow row, long now, List<dev.sluice.postgres.VisibilityChange> changes) {
        return row.settings().fifo()
                ? visibility.changeFifo(row.id(), now, MAX_IN_FLIGHT_MS, changes)
                : visibility.changeStandard(row.id(), now, MAX_IN_FLIGHT_MS, changes);
    }

    private static long expiredBefore(QueueRow row, long now) {
        return now - row.settings().messageRetentionPeriod().toMillis();
    }

    private static ScheduledThreadPoolExecutor mergeTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "sluice-merge-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Whether no parked long poll is claiming right now (tests wait for it after moving a fake clock). */
    public boolean idle() {
        return parked.idle() && moveTasks.idle();
    }

    @Override
    public int endLongPolls() {
        return parked.endAll();
    }

    // ---- message move tasks: MoveTaskRunner

    @Override
    public CompletionStage<String> startMessageMoveTask(StartMoveTask task) {
        return moveTasks.start(task).toCompletionStage();
    }

    @Override
    public CompletionStage<List<MessageMoveTask>> listMessageMoveTasks(QueueKey source, int maxResults) {
        return moveTasks.list(source, maxResults).toCompletionStage();
    }

    @Override
    public CompletionStage<Long> cancelMessageMoveTask(String taskHandle) {
        return moveTasks.cancel(taskHandle).toCompletionStage();
    }
}
