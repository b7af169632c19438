/**
 * The SQS operations on queues and messages ({@link dev.sluice.queues.Queues}), the values they take and return,
 * the errors they raise, and what every backend is built from besides the JDK's {@code InstantSource}: a
 * {@link dev.sluice.queues.Scheduler} for timers and an {@link dev.sluice.queues.IdSource} for ids. JDK only, so the
 * api and every backend can depend on it; the shared SQS rules are in {@code queues.rules}.
 */
package dev.sluice.queues;
