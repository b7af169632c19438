package dev.sluice.postgres;

import dev.sluice.queues.IdSource;
import dev.sluice.queues.MessageMoveTask;
import dev.sluice.queues.MoveTaskStatus;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Scheduler;
import dev.sluice.queues.StartMoveTask;
import dev.sluice.queues.rules.MoveTaskHandle;
import dev.sluice.queues.rules.MoveTaskRules;
import dev.sluice.queues.rules.QueueArn;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.jboss.logging.Logger;

/**
 * Message move tasks on PostgreSQL (README, "Background work"): any replica starts, lists and cancels them (rows of
 * {@code move_task}); the replica holding the {@link BackgroundLease} runs them, one batch of at most
 * MaxNumberOfMessagesPerSecond messages a second on the scheduler, each batch one transaction ({@link
 * MoveTaskStatements}). A replica that takes the lease resumes every running task from the progress stored with it.
 * The SQS rules (what may start, rates, the errors) are {@link MoveTaskRules}, as for the embedded engine.
 */
final class MoveTaskRunner {
    private static final Logger LOG = Logger.getLogger(MoveTaskRunner.class);
    private static final long BATCH_EVERY_MS = 1_000;
    private static final String SOURCE =
            "select " + QueueRow.COLUMNS + " from queue where id = $1 and deleted_at is null";
    private static final String NON_EXISTENT_QUEUE = "AWS.SimpleQueueService.NonExistentQueue";

    private final Pool pool;
    private final QueueCatalogue catalogue;
    private final InstantSource clock;
    private final Scheduler scheduler;
    private final IdSource ids;
    private final BooleanSupplier leading;
    private final LongConsumer wake;
    /** The tasks this replica runs while it holds the lease (a batch scheduled or running), by handle. */
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    /**
     * Every task this replica took up during this lease: a task is taken up once (by the start, the lease's resume or
     * the look for new tasks, whichever comes first), and one it finished is not taken up again.
     */
    private final Set<String> taken = ConcurrentHashMap.newKeySet();

    /**
     * One task's chain of batches on this replica, from its taking up to its end or the lease's: a batch schedules the
     * next only while its run is still the task's, so a batch in flight when the lease was lost and taken again does
     * not start a second chain beside the new one (which would move at twice the task's rate).
     */
    private static final class Run {
        volatile Scheduler.Cancellable next;
    }

    private final AtomicInteger working = new AtomicInteger();

    MoveTaskRunner(
            Pool pool,
            QueueCatalogue catalogue,
            InstantSource clock,
            Scheduler scheduler,
            IdSource ids,
            BooleanSupplier leading,
            LongConsumer wake) {
        this.pool = pool;
        this.catalogue = catalogue;
        this.clock = clock;
        this.scheduler = scheduler;
        this.ids = ids;
        this.leading = leading;
        this.wake = wake;
    }

    // ---- the API

    Future<String> start(StartMoveTask task) {
        Future<QueueRow> destination =
                task.destination() == null ? Future.succeededFuture() : catalogue.find(task.destination());
        return catalogue
                .find(task.source())
                .compose(source -> destination.compose(target -> (source == null
                                ? Future.succeededFuture(List.<QueueKey>of())
                                : catalogue.deadLetterSources(task.source()))
                        .compose(sources -> {
                            MoveTaskRules.validateStart(
                                    task,
                                    key -> key.equals(task.source())
                                            ? source != null
                                            : key.equals(task.destination()) && target != null,
                                    key -> !sources.isEmpty());
                            long now = clock.millis();
                            String handle = new MoveTaskHandle(ids.newId(), task.sourceArn()).encode();
                            Integer rate = task.maxNumberOfMessagesPerSecond();
                            long expiredBefore = now
                                    - source.settings().messageRetentionPeriod().toMillis();
                            return pool.preparedQuery(MoveTaskStatements.START)
                                    .execute(Tuple.of(
                                            handle,
                                            source.id(),
                                            task.sourceArn(),
                                            task.destinationArn(),
                                            rate == null ? 0 : rate,
                                            now,
                                            expiredBefore))
                                    .map(rows -> {
                                        if (rows.size() == 0) {
                                            throw MoveTaskRules.alreadyRunning();
                                        }
                                        if (leading.getAsBoolean()) {
                                            take(handle, now, true);
                                        }
                                        return handle;
                                    });
                        })));
    }

    Future<List<MessageMoveTask>> list(QueueKey source, int maxResults) {
        return catalogue.find(source).compose(row -> {
            if (row == null) {
                throw MoveTaskRules.sourceNotFound();
            }
            return pool.preparedQuery(MoveTaskStatements.LIST)
                    .execute(Tuple.of(row.id(), maxResults))
                    .map(MoveTaskRunner::tasks);
        });
    }

    Future<Long> cancel(String taskHandle) {
        if (MoveTaskHandle.parse(taskHandle).isEmpty()) {
            throw MoveTaskRules.unknownTask(taskHandle, key -> false);
        }
        return pool.preparedQuery(MoveTaskStatements.CANCEL)
                .execute(Tuple.of(taskHandle))
                .compose(rows -> {
                    if (rows.size() > 0) {
                        return Future.succeededFuture(rows.iterator().next().getLong(0));
                    }
                    return pool.preparedQuery(MoveTaskStatements.EXISTS)
                            .execute(Tuple.of(taskHandle))
                            .compose(found -> found.size() > 0
                                    ? Future.failedFuture(MoveTaskRules.notCancellable())
                                    : unknownTask(taskHandle));
                });
    }

    /** A handle of no task, answered by what it names ({@link MoveTaskRules#unknownTask}). */
    private Future<Long> unknownTask(String taskHandle) {
        QueueArn source = MoveTaskHandle.parse(taskHandle)
                .map(handle -> QueueArn.parse(handle.sourceArn()))
                .orElse(null);
        Future<QueueRow> row = source == null ? Future.succeededFuture() : catalogue.find(source.key());
        return row.compose(found -> Future.failedFuture(MoveTaskRules.unknownTask(taskHandle, key -> found != null)));
    }

    private static List<MessageMoveTask> tasks(RowSet<Row> rows) {
        List<MessageMoveTask> tasks = new ArrayList<>(rows.size());
        for (Row row : rows) {
            int rate = row.getInteger(4);
            tasks.add(new MessageMoveTask(
                    row.getString(0),
                    MoveTaskStatus.valueOf(row.getString(1)),
                    row.getString(2),
                    row.getString(3),
                    rate == 0 ? null : rate,
                    row.getLong(5),
                    row.getLong(6),
                    row.getString(7),
                    Instant.ofEpochMilli(row.getLong(8))));
        }
        return tasks;
    }

    // ---- running, on the lease holder

    /** This replica took the lease: resumes every running task at once, from its stored progress. */
    void resumeAll() {
        working.incrementAndGet();
        running()
                .onSuccess(tasks -> tasks.keySet().forEach(handle -> take(handle, clock.millis(), true)))
                .onComplete(done -> working.decrementAndGet());
    }

    /** While leading: takes up tasks started on other replicas since. */
    void takeUpNew() {
        working.incrementAndGet();
        running()
                .onSuccess(tasks -> tasks.forEach((handle, nextBatchAt) -> {
                    if (!taken.contains(handle)) {
                        take(handle, Math.max(clock.millis(), nextBatchAt), false);
                    }
                }))
                .onComplete(done -> working.decrementAndGet());
    }

    /** The lease is lost: another replica runs the tasks from now (a batch in flight commits or not, as a whole). */
    void stopAll() {
        runs.values().forEach(run -> {
            Scheduler.Cancellable next = run.next;
            if (next != null) {
                next.cancel();
            }
        });
        runs.clear();
        taken.clear();
    }

    /** Whether no batch is running and no taking up of tasks is under way (tests wait for it). */
    boolean idle() {
        return working.get() == 0;
    }

    private Future<Map<String, Long>> running() {
        return pool.query(MoveTaskStatements.RUNNING).execute().map(rows -> {
            Map<String, Long> tasks = new HashMap<>();
            rows.forEach(row -> tasks.put(row.getString(0), row.getLong(1)));
            return tasks;
        });
    }

    /** Takes a task up, unless this replica already did during this lease. */
    private void take(String handle, long at, boolean resumed) {
        if (!taken.add(handle)) {
            return;
        }
        Run run = new Run();
        runs.put(handle, run);
        schedule(run, handle, at, resumed);
    }

    /**
     * {@code resumed}: the first batch after this replica took the task up runs whenever the previous runner's last
     * batch was; later ones wait for their second.
     */
    private void schedule(Run run, String handle, long at, boolean resumed) {
        run.next = scheduler.schedule(Instant.ofEpochMilli(at), () -> batch(run, handle, resumed));
    }

    private void batch(Run run, String handle, boolean resumed) {
        if (!leading.getAsBoolean() || runs.get(handle) != run) {
            runs.remove(handle, run);
            return;
        }
        long now = clock.millis();
        working.incrementAndGet();
        Set<Long> targets = ConcurrentHashMap.newKeySet();
        pool.withTransaction(connection -> batch(connection, handle, now, resumed, targets))
                .onComplete(done -> {
                    if (done.succeeded()) {
                        targets.forEach(wake::accept);
                    }
                    Long next = done.succeeded() ? done.result() : Long.valueOf(now + BATCH_EVERY_MS);
                    if (done.failed()) {
                        LOG.warnf(
                                "Message move task batch failed (retrying in a second): %s",
                                done.cause().getMessage());
                    }
                    if (next != null && leading.getAsBoolean() && runs.get(handle) == run) {
                        schedule(run, handle, next, false);
                    } else {
                        runs.remove(handle, run);
                    }
                    working.decrementAndGet();
                });
    }

    /** The task's batch as one transaction; returns when its next batch is due, or null once it is over. */
    private Future<Long> batch(SqlConnection connection, String handle, long now, boolean resumed, Set<Long> targets) {
        return connection
                .preparedQuery(MoveTaskStatements.LOCK_TASK)
                .execute(Tuple.of(handle))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.succeededFuture(null);
                    }
                    Row task = rows.iterator().next();
                    long nextBatchAt = task.getLong(5);
                    if (!resumed && nextBatchAt > now) {
                        return Future.succeededFuture(nextBatchAt);
                    }
                    return source(connection, task.getLong(0))
                            .compose(source -> source == null
                                    ? progress(connection, handle, 0, MoveTaskStatus.FAILED, NON_EXISTENT_QUEUE, now)
                                    : move(connection, handle, task, source, now, targets));
                });
    }

    /** The dead-letter queue of the task, live (null once deleted: a queue created again is another). */
    private Future<QueueRow> source(SqlConnection connection, long queueId) {
        return connection
                .preparedQuery(SOURCE)
                .execute(Tuple.of(queueId))
                .map(rows ->
                        rows.size() == 0 ? null : QueueRow.of(rows.iterator().next(), catalogue.region()));
    }

    private Future<Long> move(
            SqlConnection connection, String handle, Row task, QueueRow source, long now, Set<Long> woken) {
        String destinationArn = task.getString(1);
        int rate = MoveTaskRules.messagesPerSecond(task.getInteger(2) == 0 ? null : task.getInteger(2));
        long remaining = task.getLong(4) - task.getLong(3);
        int budget = (int) Math.max(0, Math.min(rate, remaining));
        long expiredBefore = now - source.settings().messageRetentionPeriod().toMillis();
        QueueArn destination = destinationArn == null ? null : QueueArn.parse(destinationArn);
        return take(connection, source, now, expiredBefore, budget).compose(taken -> {
            Set<String> paths = new LinkedHashSet<>();
            if (destination != null) {
                paths.add(QueuePath.of(destination.key(), catalogue.region()));
            } else {
                taken.forEach(message -> {
                    if (message.deadLetterSource() != null) {
                        paths.add(message.deadLetterSource());
                    }
                });
            }
            return connection
                    .preparedQuery(MoveTaskStatements.DESTINATIONS)
                    .execute(Tuple.of(paths.toArray(String[]::new)))
                    .compose(rows -> {
                        Map<String, Long> live = new HashMap<>();
                        rows.forEach(row -> live.put(row.getString(1), row.getLong(0)));
                        List<Long> seqs = new ArrayList<>();
                        List<Long> targets = new ArrayList<>();
                        boolean nowhereToGo = false;
                        for (Taken message : taken) {
                            String path = destination != null
                                    ? QueuePath.of(destination.key(), catalogue.region())
                                    : message.deadLetterSource();
                            Long target = path == null ? null : live.get(path);
                            if (target == null) {
                                // Nowhere to go: the message stays, and the task fails as SQS's does.
                                nowhereToGo = true;
                            } else {
                                seqs.add(message.seq());
                                targets.add(target);
                            }
                        }
                        MoveTaskStatus status = nowhereToGo
                                ? MoveTaskStatus.FAILED
                                : taken.isEmpty() || seqs.size() >= remaining
                                        ? MoveTaskStatus.COMPLETED
                                        : MoveTaskStatus.RUNNING;
                        String failure = nowhereToGo ? NON_EXISTENT_QUEUE : null;
                        Future<RowSet<Row>> moved = seqs.isEmpty()
                                ? Future.succeededFuture()
                                : connection
                                        .preparedQuery(MoveTaskStatements.MOVE)
                                        .execute(Tuple.of(
                                                source.id(),
                                                seqs.toArray(Long[]::new),
                                                targets.toArray(Long[]::new),
                                                now));
                        return moved.compose(copied -> {
                            if (copied != null) {
                                copied.forEach(row -> woken.add(row.getLong(0)));
                            }
                            return progress(connection, handle, seqs.size(), status, failure, now);
                        });
                    });
        });
    }

    private record Taken(long seq, String deadLetterSource) {}

    private Future<List<Taken>> take(
            SqlConnection connection, QueueRow source, long now, long expiredBefore, int budget) {
        if (budget == 0) {
            return Future.succeededFuture(List.of());
        }
        Future<RowSet<Row>> rows;
        if (source.settings().fifo()) {
            rows = connection
                    .preparedQuery(MoveTaskStatements.LOCK_IDLE_GROUPS)
                    .execute(Tuple.of(source.id(), now, budget))
                    .compose(groups -> {
                        List<String> names = new ArrayList<>();
                        groups.forEach(group -> names.add(group.getString(0)));
                        return connection
                                .preparedQuery(MoveTaskStatements.TAKE_FIFO)
                                .execute(Tuple.of(
                                        source.id(), now, expiredBefore, budget, names.toArray(String[]::new)));
                    });
        } else {
            rows = connection
                    .preparedQuery(MoveTaskStatements.TAKE_STANDARD)
                    .execute(Tuple.of(source.id(), now, expiredBefore, budget));
        }
        return rows.map(found -> {
            List<Taken> taken = new ArrayList<>(found.size());
            found.forEach(row -> taken.add(new Taken(row.getLong(0), row.getString(1))));
            return taken;
        });
    }

    private static Future<Long> progress(
            SqlConnection connection, String handle, int moved, MoveTaskStatus status, String failure, long now) {
        long next = now + BATCH_EVERY_MS;
        return connection
                .preparedQuery(MoveTaskStatements.PROGRESS)
                .execute(Tuple.of(handle, moved, status.name(), failure, next))
                .map(done -> status == MoveTaskStatus.RUNNING ? Long.valueOf(next) : null);
    }
}
