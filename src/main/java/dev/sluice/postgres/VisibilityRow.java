package dev.sluice.postgres;

/**
 * What a visibility change found for one entry, for the rules to answer it: whether the message exists, its current
 * receive count, deadline and last receive time, and whether the change was applied (the handle is current, the
 * message still in flight, and the new deadline within 12 hours of the receive).
 */
record VisibilityRow(boolean found, int receiveCount, long visibleAt, long lastReceivedAt, boolean changed) {}
