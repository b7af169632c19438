package dev.sluice.engine;

import dev.sluice.queues.MessageMoveTask;
import dev.sluice.queues.MoveTaskStatus;
import dev.sluice.store.StoredMoveTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of message move tasks: one running task per source queue, newest first in listings, every state
 * change stored so tasks survive a restart. The moving itself is the engine's ({@link QueueEngine}); this class only
 * keeps the tasks' state. All access holds this object's monitor.
 */
final class MoveTasks {
    private final Map<String, StoredMoveTask> byHandle = new LinkedHashMap<>();

    synchronized void load(List<StoredMoveTask> tasks) {
        tasks.forEach(task -> byHandle.put(task.taskHandle(), task));
    }

    synchronized List<StoredMoveTask> running() {
        return byHandle.values().stream().filter(MoveTasks::isRunning).toList();
    }

    synchronized boolean isRunning(String sourceQueue) {
        return byHandle.values().stream().anyMatch(task -> task.sourceQueue().equals(sourceQueue) && isRunning(task));
    }

    synchronized StoredMoveTask get(String handle) {
        return byHandle.get(handle);
    }

    synchronized void put(StoredMoveTask task) {
        byHandle.put(task.taskHandle(), task);
    }

    /** The source queue's tasks, newest first. */
    synchronized List<StoredMoveTask> of(String sourceQueue, int max) {
        List<StoredMoveTask> tasks = new ArrayList<>();
        for (StoredMoveTask task : byHandle.values()) {
            if (task.sourceQueue().equals(sourceQueue)) {
                tasks.add(task);
            }
        }
        // Newest first also among tasks started in the same millisecond (cancel, then start again): the map keeps
        // the order tasks were created in, and the sort is stable.
        Collections.reverse(tasks);
        tasks.sort(Comparator.comparingLong(StoredMoveTask::startedMillis).reversed());
        return tasks.subList(0, Math.min(max, tasks.size()));
    }

    static boolean isRunning(StoredMoveTask task) {
        return status(task) == MoveTaskStatus.RUNNING;
    }

    static MoveTaskStatus status(StoredMoveTask task) {
        return MoveTaskStatus.valueOf(task.status());
    }

    /** The task's MaxNumberOfMessagesPerSecond, or null if it set none (stored as 0). */
    static Integer rateOf(StoredMoveTask task) {
        return task.maxNumberOfMessagesPerSecond() == 0 ? null : task.maxNumberOfMessagesPerSecond();
    }

    static StoredMoveTask withProgress(StoredMoveTask task, MoveTaskStatus status, long moved, String failureReason) {
        return new StoredMoveTask(
                task.taskHandle(),
                task.sourceQueue(),
                task.destinationQueue(),
                task.sourceArn(),
                task.destinationArn(),
                task.maxNumberOfMessagesPerSecond(),
                status.name(),
                moved,
                task.approximateNumberOfMessagesToMove(),
                failureReason,
                task.startedMillis());
    }

    static MessageMoveTask view(StoredMoveTask task) {
        return new MessageMoveTask(
                task.taskHandle(),
                status(task),
                task.sourceArn(),
                task.destinationArn(),
                rateOf(task),
                task.approximateNumberOfMessagesMoved(),
                task.approximateNumberOfMessagesToMove(),
                task.failureReason(),
                Instant.ofEpochMilli(task.startedMillis()));
    }
}
