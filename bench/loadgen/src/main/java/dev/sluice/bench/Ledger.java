package dev.sluice.bench;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the server acknowledged and what came back, by MessageId: a scenario passes only when every acknowledged id
 * is received exactly once and nothing else is (counts alone would let a loss hide behind a duplicate).
 */
final class Ledger {
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private final AtomicLong duplicates = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    void acknowledged(String messageId) {
        acknowledged.add(messageId);
    }

    void received(String messageId) {
        if (!received.add(messageId)) {
            duplicates.incrementAndGet();
        }
    }

    long acknowledgedCount() {
        return acknowledged.size();
    }

    long receivedCount() {
        return received.size();
    }

    long duplicates() {
        return duplicates.get();
    }

    long lost() {
        return acknowledged.stream().filter(id -> !received.contains(id)).count();
    }

    long unexpected() {
        return received.stream().filter(id -> !acknowledged.contains(id)).count();
    }

    void putChecks(Result result) {
        result.put("acked", acknowledgedCount())
                .put("received", receivedCount())
                .put("lost", lost())
                .put("dup", duplicates())
                .put("unexpected", unexpected())
                .put("errors", errors.get());
    }
}
