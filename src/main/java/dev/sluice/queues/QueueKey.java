package dev.sluice.queues;

/**
 * A queue's identity as users name it: the region, the owning account and the queue name. As on AWS, the same name in
 * two regions is two queues.
 */
public record QueueKey(String region, String accountId, String name) {}
