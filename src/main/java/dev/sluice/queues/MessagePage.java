package dev.sluice.queues;

import java.util.List;

/** A page of a peek, oldest message first; {@code nextToken} continues after it, and is null after the last page. */
public record MessagePage(List<PeekedMessage> messages, String nextToken) {}
