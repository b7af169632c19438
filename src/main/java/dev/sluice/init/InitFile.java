package dev.sluice.init;

import dev.sluice.queues.QueueKey;
import dev.sluice.quota.Quota;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an init file declares: tenants with their access keys, and queues with attributes and tags, each with the line
 * it starts on so a refusal can point at it. Queues are listed dead-letter queues first ({@link DeadLetterQueuesFirst}).
 *
 * @param queueAccounts the accounts that have a {@code queues} section, even an empty one: the ones whose queues the
 *     file lists completely, for {@code sluice.init-file-delete-unlisted}
 */
public record InitFile(List<DeclaredTenant> tenants, List<DeclaredQueue> queues, Set<String> queueAccounts) {

    /**
     * A tenant: an account with a name, optional limits, an optional quota of its own, and the access keys it is
     * reached with.
     */
    public record DeclaredTenant(
            String accountId,
            String name,
            Integer maxQueues,
            Long maxMessages,
            Optional<Quota> quota,
            List<DeclaredKey> keys,
            int line) {}

    /** An access key of a declared tenant; {@link #toString()} leaves the secret out. */
    public record DeclaredKey(String accessKeyId, String secretAccessKey, int line) {
        @Override
        public String toString() {
            return "DeclaredKey[" + accessKeyId + ", line " + line + "]";
        }
    }

    /** A queue with its attributes as SQS takes them (names of dead-letter queues already turned into ARNs). */
    public record DeclaredQueue(QueueKey key, Map<String, String> attributes, Map<String, String> tags, int line) {}
}
