package dev.sluice.postgres;

/**
 * What a receipt handle names for the statements: the message's row ({@code seq}, within the queue) and the receive
 * it came from ({@code receiveCount}), so a handle of an earlier receive matches nothing.
 */
record Handle(long seq, int receiveCount) {}
