package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.queues.ManualClock;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.Scheduler;
import dev.sluice.queues.contract.QueuesFixture;
import dev.sluice.queues.rules.Strictness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The production manual clock: time stands still until advanced, and advancing runs what comes due, in order. */
class ManualClockTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final ExecutorService timers = Executors.newSingleThreadExecutor();
    private final ManualClock clock = new ManualClock(START, timers);
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    private void record(String name) {
        ran.add(name + "@" + Duration.between(START, clock.instant()).toSeconds());
    }

    @Test
    void timeStandsStillUntilAdvanced() {
        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.advance(Duration.ofMillis(1500))).isEqualTo(START.plusMillis(1500));
        assertThat(clock.millis()).isEqualTo(START.plusMillis(1500).toEpochMilli());
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void advancingRunsTheDueTasksInOrderEachAtItsOwnTime() {
        clock.schedule(START.plusSeconds(3), () -> record("c"));
        clock.schedule(START.plusSeconds(1), () -> record("a"));
        clock.schedule(START.plusSeconds(2), () -> record("b"));
        clock.schedule(START.plusSeconds(10), () -> record("late"));

        clock.advance(Duration.ofSeconds(5));

        assertThat(ran).containsExactly("a@1", "b@2", "c@3");
        assertThat(clock.instant()).isEqualTo(START.plusSeconds(5));
        assertThat(clock.pendingTasks()).isEqualTo(1);
    }

    @Test
    void aTaskThatSchedulesAnotherOnTheWaySeesItRunInTheSameAdvance() {
        clock.schedule(START.plusSeconds(1), () -> {
            record("tick");
            clock.schedule(clock.instant().plusSeconds(1), () -> record("next tick"));
        });
        clock.advance(Duration.ofSeconds(3));
        assertThat(ran).containsExactly("tick@1", "next tick@2");
    }

    @Test
    void aTaskForATimeAlreadyReachedRunsAtOnceOnTheExecutor() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        String[] thread = new String[1];
        clock.schedule(START, () -> {
            thread[0] = Thread.currentThread().getName();
            done.countDown();
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(thread[0]).isNotEqualTo(Thread.currentThread().getName());
        assertThat(clock.instant()).as("without moving the clock").isEqualTo(START);
    }

    @Test
    void aCancelledTaskNeverRuns() {
        Scheduler.Cancellable cancelled = clock.schedule(START.plusSeconds(1), () -> record("cancelled"));
        clock.schedule(START.plusSeconds(2), () -> record("kept"));
        cancelled.cancel();
        assertThat(clock.pendingTasks()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(2));
        assertThat(ran).containsExactly("kept@2");
    }

    @Test
    void aFailingTaskDoesNotStopTheClock() {
        clock.schedule(START.plusSeconds(1), () -> {
            throw new IllegalStateException("boom");
        });
        clock.schedule(START.plusSeconds(2), () -> record("after"));
        clock.advance(Duration.ofSeconds(2));
        assertThat(ran).containsExactly("after@2");
    }

    @Test
    void theEngineOnTheManualClockEndsALongPollAtItsDeadline() {
        EngineClockRig rig = new EngineClockRig(clock);
        QueueKey queue = rig.createQueue("polled");
        var poll = rig.longPoll(queue, Duration.ofSeconds(20));

        clock.advance(Duration.ofSeconds(19));
        assertThat(poll).isNotDone();
        clock.advance(Duration.ofSeconds(1));
        assertThat(poll).isCompletedWithValue(List.of());
    }

    /** An engine on the manual clock and the in-memory store. */
    private record EngineClockRig(QueueEngine engine) {
        EngineClockRig(ManualClock clock) {
            this(new QueueEngine(
                    new dev.sluice.store.memory.InMemoryStore(),
                    clock,
                    clock,
                    new dev.sluice.queues.testkit.CountingIds(),
                    Strictness.LENIENT));
        }

        QueueKey createQueue(String name) {
            QueueKey key = QueuesFixture.key(name);
            QueuesFixture.join(engine.createQueue(key, java.util.Map.of(), java.util.Map.of()));
            return key;
        }

        java.util.concurrent.CompletableFuture<List<ReceivedMessage>> longPoll(QueueKey queue, Duration wait) {
            return engine.receive(queue, new ReceiveOptions(1, java.util.Optional.empty(), java.util.Optional.of(wait)))
                    .toCompletableFuture();
        }
    }
}
