package dev.sluice.engine;

import dev.sluice.queues.IdSource;
import dev.sluice.queues.MessageMoveTask;
import dev.sluice.queues.MoveTaskStatus;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Scheduler;
import dev.sluice.queues.StartMoveTask;
import dev.sluice.queues.rules.MoveTaskHandle;
import dev.sluice.queues.rules.MoveTaskRules;
import dev.sluice.store.Store;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoredMoveTask;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Runs message move tasks (StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask): each running task
 * ticks once a second on the scheduler and moves up to its rate of visible messages out of the dead-letter queue, to
 * the destination or back to the queues they came from. Every state change is stored, so tasks resume after a
 * restart. Moving a message is {@link Redrive}'s; this class decides what to move and keeps the tasks.
 */
final class MoveTaskRunner {
    private final QueueCatalog queues;
    private final Redrive redrive;
    private final LongPolls longPolls;
    private final Store store;
    private final InstantSource clock;
    private final Scheduler scheduler;
    private final IdSource ids;
    private final MoveTasks moveTasks = new MoveTasks();

    MoveTaskRunner(
            QueueCatalog queues,
            Redrive redrive,
            LongPolls longPolls,
            Store store,
            InstantSource clock,
            Scheduler scheduler,
            IdSource ids) {
        this.queues = queues;
        this.redrive = redrive;
        this.longPolls = longPolls;
        this.store = store;
        this.clock = clock;
        this.scheduler = scheduler;
        this.ids = ids;
    }

    /** Takes the stored tasks and resumes the running ones at once. */
    void load(List<StoredMoveTask> tasks, long now) {
        moveTasks.load(tasks);
        moveTasks.running().forEach(task -> scheduleMoveTick(task.taskHandle(), Instant.ofEpochMilli(now)));
    }

    private static final Duration MOVE_TICK = Duration.ofSeconds(1);

    /** StartMessageMoveTask (API reference); returns the task handle. */
    CompletionStage<String> start(StartMoveTask request) {
        QueueKey source = request.source();
        QueueKey destination = request.destination();
        Integer maxPerSecond = request.maxNumberOfMessagesPerSecond();
        MoveTaskRules.validateStart(request, queues::exists, queues::isDeadLetterQueue);
        Queue sourceQueue = queues.get(source);
        String sourceName = queues.names().path(source);
        long now = clock.millis();
        StoredMoveTask task;
        // Counted before taking the registry's lock: a move tick holds the source queue's lock and then the
        // registry's, so taking them the other way round here could deadlock with it.
        int toMove;
        synchronized (sourceQueue) {
            toMove = sourceQueue.messageCount();
        }
        synchronized (moveTasks) {
            if (moveTasks.isRunning(sourceName)) {
                throw MoveTaskRules.alreadyRunning();
            }
            String handle = new MoveTaskHandle(ids.newId(), request.sourceArn()).encode();
            task = new StoredMoveTask(
                    handle,
                    sourceName,
                    destination == null ? null : queues.names().path(destination),
                    request.sourceArn(),
                    request.destinationArn(),
                    maxPerSecond == null ? 0 : maxPerSecond,
                    MoveTaskStatus.RUNNING.name(),
                    0,
                    toMove,
                    null,
                    now);
            moveTasks.put(task);
        }
        return store.commit(new StoreChange.PutMoveTask(task)).thenApply(done -> {
            scheduleMoveTick(task.taskHandle(), Instant.ofEpochMilli(now));
            return task.taskHandle();
        });
    }

    List<MessageMoveTask> list(QueueKey source, int maxResults) {
        if (!queues.exists(source)) {
            throw MoveTaskRules.sourceNotFound();
        }
        return moveTasks.of(queues.names().path(source), maxResults).stream()
                .map(MoveTasks::view)
                .toList();
    }

    /** Cancels a running task; messages already moved stay where they are. Returns how many were moved. */
    CompletionStage<Long> cancel(String taskHandle) {
        StoredMoveTask cancelled;
        synchronized (moveTasks) {
            StoredMoveTask task = moveTasks.get(taskHandle);
            if (task == null) {
                throw MoveTaskRules.unknownTask(taskHandle, queues::exists);
            }
            if (!MoveTasks.isRunning(task)) {
                throw MoveTaskRules.notCancellable();
            }
            cancelled = MoveTasks.withProgress(
                    task, MoveTaskStatus.CANCELLED, task.approximateNumberOfMessagesMoved(), null);
            moveTasks.put(cancelled);
        }
        return store.commit(new StoreChange.PutMoveTask(cancelled))
                .thenApply(done -> cancelled.approximateNumberOfMessagesMoved());
    }

    private void scheduleMoveTick(String taskHandle, Instant at) {
        scheduler.schedule(at, () -> moveTick(taskHandle));
    }

    /** One second's worth of a task: moves up to its rate of visible messages, then schedules the next tick. */
    private void moveTick(String taskHandle) {
        StoredMoveTask task = moveTasks.get(taskHandle);
        if (task == null || !MoveTasks.isRunning(task)) {
            return;
        }
        Queue source = queues.get(queues.names().key(task.sourceQueue()));
        if (source == null) {
            finishMoveTask(
                    task,
                    MoveTaskStatus.FAILED,
                    task.approximateNumberOfMessagesMoved(),
                    "AWS.SimpleQueueService.NonExistentQueue");
            return;
        }
        int budget = MoveTaskRules.messagesPerSecond(MoveTasks.rateOf(task));
        Transition transition = longPolls.transition(clock.millis(), budget + 2);
        long now = transition.now;
        long moved;
        MoveTaskStatus status = MoveTaskStatus.RUNNING;
        String failure = null;
        synchronized (source) {
            source.promote(now);
            long remaining = task.approximateNumberOfMessagesToMove() - task.approximateNumberOfMessagesMoved();
            List<Message> taken = source.takeReady((int) Math.max(0, Math.min(budget, remaining)));
            Map<Queue, List<Message>> byDestination = new LinkedHashMap<>();
            for (Message message : taken) {
                QueueKey destination = task.destinationQueue() != null
                        ? queues.names().key(task.destinationQueue())
                        : message.stored.deadLetterSourceQueue() == null
                                ? null
                                : StoredNames.deadLetterSource(
                                        source.key.region(), message.stored.deadLetterSourceQueue());
                Queue target = destination == null ? null : queues.get(destination);
                if (target == null) {
                    // Nowhere to go: the message stays, and the task fails as SQS's does.
                    source.add(message, now);
                    status = MoveTaskStatus.FAILED;
                    failure = "AWS.SimpleQueueService.NonExistentQueue";
                    continue;
                }
                byDestination.computeIfAbsent(target, q -> new ArrayList<>()).add(message);
            }
            List<String> removed = new ArrayList<>();
            byDestination.values().forEach(messages -> messages.forEach(message -> removed.add(message.id())));
            if (!removed.isEmpty()) {
                // Before the copies: they keep the message ids.
                transition.add(new StoreChange.DeleteMessages(source.queueId, removed));
            }
            byDestination.forEach((target, messages) -> redrive.moveInto(target, messages, null, transition));
            moved = task.approximateNumberOfMessagesMoved() + removed.size();
            if (status == MoveTaskStatus.RUNNING
                    && (moved >= task.approximateNumberOfMessagesToMove()
                            || (taken.isEmpty() && source.pages == null))) {
                status = MoveTaskStatus.COMPLETED;
            }
            StoredMoveTask progressed = MoveTasks.withProgress(task, status, moved, failure);
            synchronized (moveTasks) {
                StoredMoveTask current = moveTasks.get(taskHandle);
                if (!MoveTasks.isRunning(current)) {
                    progressed =
                            MoveTasks.withProgress(current, MoveTasks.status(current), moved, current.failureReason());
                }
            }
            transition.add(new StoreChange.PutMoveTask(progressed));
            // Published only after the commit and after the copies are delivered (work after the commit runs in
            // order), so a ListMessageMoveTasks that counts messages as moved is never ahead of the destination queue;
            // the next tick is scheduled from there too, so it starts from the published count.
            StoredMoveTask published = progressed;
            transition.afterCommit(() -> publishMoveProgress(published, now));
            transition.commit();
        }
        transition.runAfterCommit();
    }

    private void publishMoveProgress(StoredMoveTask progressed, long tickMillis) {
        StoredMoveTask published = progressed;
        synchronized (moveTasks) {
            // A cancel that came in meanwhile wins: keep CANCELLED, with the count of what moved.
            StoredMoveTask current = moveTasks.get(progressed.taskHandle());
            if (!MoveTasks.isRunning(current) && !current.status().equals(progressed.status())) {
                published = MoveTasks.withProgress(
                        current,
                        MoveTasks.status(current),
                        progressed.approximateNumberOfMessagesMoved(),
                        current.failureReason());
            }
            moveTasks.put(published);
        }
        if (published != progressed) {
            // Nobody waits for this commit.
            store.commit(new StoreChange.PutMoveTask(published));
        }
        if (MoveTasks.isRunning(published)) {
            scheduleMoveTick(
                    published.taskHandle(), Instant.ofEpochMilli(tickMillis).plus(MOVE_TICK));
        }
    }

    private void finishMoveTask(StoredMoveTask task, MoveTaskStatus status, long moved, String failure) {
        StoredMoveTask finished = MoveTasks.withProgress(task, status, moved, failure);
        moveTasks.put(finished);
        store.commit(new StoreChange.PutMoveTask(finished));
    }
}
