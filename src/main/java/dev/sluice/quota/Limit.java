package dev.sluice.quota;

/** Which limit a throttled request was over; {@link #label} names it in metrics and the admin API. */
public enum Limit {
    /** The account's requests per second. */
    REQUESTS("requests"),
    /** The account's bytes (requests and replies) per second. */
    BYTES("bytes"),
    /** A queue's requests per second, set in its owner's quota. */
    QUEUE("queue"),
    /** SQS's throughput of a FIFO queue without high throughput, per action ({@code sluice.quota.fifo-throughput}). */
    FIFO("fifo");

    private final String label;

    Limit(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
