package dev.sluice.engine;

/**
 * What happened on one queue since it was created or the server started, for metrics: messages sent (and their
 * bytes), received, deleted, moved to the dead-letter queue, FIFO sends answered as duplicates, and receives that got
 * nothing. Plain fields, changed and read holding the queue's lock, so counting costs a send or a receive one addition
 * and no atomic operation. Not stored: every start counts from zero, as Prometheus counters may.
 */
final class QueueActivity {
    long sent;
    long sentBytes;
    long received;
    long emptyReceives;
    long deleted;
    long deadLettered;
    long deduplicated;
}
