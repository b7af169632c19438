package dev.sluice.store;

import java.util.Collection;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The inbox of a file store's single writer thread, and that thread's life. Work offered once {@link #close} has begun
 * is refused, so nothing slips in after the writer's last drain; {@code close} wakes a batched writer waiting for its
 * interval and waits for the writer to finish what is left.
 *
 * @param <W> what the writer takes
 */
public final class WriterInbox<W> {
    private final BlockingQueue<W> queue = new LinkedBlockingQueue<>();
    /** Makes "still open" and "added" one step, against a close between them. */
    private final Object lifecycle = new Object();

    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean open = true;
    private boolean closed;

    /** The writer thread will run {@code loop}, which goes on while {@link #active()}; {@link #start} starts it. */
    public WriterInbox(String threadName, Runnable loop) {
        this.thread = Thread.ofPlatform().name(threadName).daemon().unstarted(loop);
    }

    public void start() {
        thread.start();
    }

    /** Whether work is still taken (close has not begun). */
    public boolean open() {
        return open;
    }

    /** Adds work for the writer; false once close has begun. */
    public boolean offer(W work) {
        synchronized (lifecycle) {
            if (!open) {
                return false;
            }
            queue.add(work);
            return true;
        }
    }

    /** Whether the writer's loop goes on: still open, or work left. */
    public boolean active() {
        return open || !queue.isEmpty();
    }

    public boolean onWriterThread() {
        return Thread.currentThread() == thread;
    }

    public W poll(long timeoutMillis) throws InterruptedException {
        return queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    public W poll() {
        return queue.poll();
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }

    public void drainTo(Collection<? super W> into, int max) {
        queue.drainTo(into, max);
    }

    /** A batched writer's wait: {@code millis}, or less if close begins meanwhile. */
    public void awaitIntervalOrClose(long millis) throws InterruptedException {
        closing.await(millis, TimeUnit.MILLISECONDS);
    }

    /** The writer was interrupted: no more work is taken, and the loop ends once the inbox is empty. */
    public void stopTaking() {
        open = false;
    }

    /**
     * Stops taking work, wakes the writer and waits up to {@code joinMillis} for it to finish what is left. False if
     * close had begun already (the caller then has nothing more to close either).
     */
    public boolean close(long joinMillis) {
        synchronized (lifecycle) {
            if (closed) {
                return false;
            }
            closed = true;
            open = false;
        }
        closing.countDown();
        try {
            thread.join(joinMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}
