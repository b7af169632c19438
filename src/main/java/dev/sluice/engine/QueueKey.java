package dev.sluice.engine;

/** A queue's identity as users name it: the owning account and the queue name. */
public record QueueKey(String accountId, String name) {}
