package dev.sluice.transfer;

/** What an export wrote or an import read: records of each kind. */
public record Counts(long tenants, long accessKeys, long queues, long messages, long deduplications) {

    /** For the command's one line of output. */
    public String describe() {
        return tenants + " tenants, " + accessKeys + " access keys, " + queues + " queues, " + messages + " messages, "
                + deduplications + " deduplication records";
    }
}
