package dev.sluice.engine;

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
}
