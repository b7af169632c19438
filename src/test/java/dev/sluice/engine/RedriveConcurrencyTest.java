package dev.sluice.engine;

import static dev.sluice.queues.contract.QueuesFixture.arn;
import static dev.sluice.queues.contract.QueuesFixture.join;
import static dev.sluice.queues.contract.QueuesFixture.redrive;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueInfo;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.StartMoveTask;
import dev.sluice.queues.contract.Backends;
import dev.sluice.queues.contract.QueuesFixture;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Messages moving both ways at once between a queue and its dead-letter queue: consumers dead-letter from the source
 * while a message move task puts messages back into it. Each direction takes one queue's lock and then the other's;
 * on the in-memory store (whose commits complete at once) that must not deadlock. Real threads, no sleeps.
 */
class RedriveConcurrencyTest {
    private static final int ROUNDS = 2_000;

    @Test
    void deadLetteringAndMovingBackAtTheSameTimeDoNotDeadlock() throws Exception {
        QueuesFixture sluice = new QueuesFixture(Backends.EMBEDDED);
        QueueKey dlq = sluice.createQueue("dlq");
        QueueKey orders = sluice.createQueue("orders", redrive(dlq, 1));
        for (int i = 0; i < 200; i++) {
            sluice.send(orders, "m" + i);
        }
        ReceiveOptions immediatelyVisibleAgain =
                new ReceiveOptions(10, Optional.of(Duration.ZERO), Optional.of(Duration.ZERO));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        threads.add(Thread.ofPlatform().daemon().unstarted(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                sluice.queues.receive(orders, immediatelyVisibleAgain);
            }
        }));
        threads.add(Thread.ofPlatform().daemon().unstarted(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                try {
                    join(sluice.queues.startMessageMoveTask(new StartMoveTask(dlq, arn(dlq), null, null, null)));
                } catch (QueueException alreadyRunning) {
                    // the previous task is still moving
                }
                sluice.clock.advanceSeconds(1);
            }
        }));
        threads.forEach(thread -> {
            thread.setUncaughtExceptionHandler((t, e) -> failure.compareAndSet(null, e));
            thread.start();
        });

        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(15));
        }

        long[] deadlocked = ManagementFactory.getThreadMXBean().findMonitorDeadlockedThreads();
        assertThat(deadlocked).as("deadlocked threads").isNull();
        assertThat(threads).noneMatch(Thread::isAlive);
        assertThat(failure.get()).isNull();
        QueueInfo source = sluice.info(orders);
        QueueInfo target = sluice.info(dlq);
        assertThat(source.visible() + source.inFlight() + target.visible() + target.inFlight())
                .as("no message lost or doubled")
                .isEqualTo(200);
    }
}
