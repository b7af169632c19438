package dev.sluice.store;

/**
 * What a file store tells about its commits, for metrics. Called on the store's writer thread, after the commits it
 * reports are durable: it must be quick (an increment or a histogram update) and must not block.
 */
public interface CommitListener {
    CommitListener NONE = new CommitListener() {};

    /** One commit (one request's changes) is durable, {@code latencyNanos} after it was handed to the store. */
    default void committed(long latencyNanos) {}

    /**
     * One group commit is written and synced: {@code commits} commits holding {@code messages} new messages (sent or
     * moved), {@code bytes} bytes appended; its sync took {@code syncNanos}.
     */
    default void synced(int commits, int messages, long bytes, long syncNanos) {}
}
