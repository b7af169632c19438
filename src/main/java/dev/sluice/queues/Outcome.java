package dev.sluice.queues;

import java.util.List;

/** The result of one entry of a batch: a value, or the rule it broke. */
public record Outcome<T>(T value, QueueException failure) {

    public static <T> Outcome<T> success(T value) {
        return new Outcome<>(value, null);
    }

    public static <T> Outcome<T> failure(QueueException failure) {
        return new Outcome<>(null, failure);
    }

    public boolean succeeded() {
        return failure == null;
    }

    /** The value of a batch's only entry, or its failure thrown: a single-message action as a batch of one. */
    public static <T> T only(List<Outcome<T>> outcomes) {
        Outcome<T> outcome = outcomes.getFirst();
        if (!outcome.succeeded()) {
            throw outcome.failure();
        }
        return outcome.value();
    }
}
