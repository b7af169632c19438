package dev.sluice.init;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.init.InitFile.DeclaredQueue;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.rules.QueueArn;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders declared queues so that each comes after the dead-letter queue its RedrivePolicy names (SQS refuses a
 * RedrivePolicy whose target does not exist yet), keeping the file's order otherwise. A chain of dead-letter queues
 * that comes back to its start cannot be created in any order and is refused.
 */
final class DeadLetterQueuesFirst {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterQueuesFirst() {}

    static List<DeclaredQueue> order(List<DeclaredQueue> declared) {
        Map<QueueKey, DeclaredQueue> byKey = new LinkedHashMap<>();
        declared.forEach(queue -> byKey.put(queue.key(), queue));
        Set<QueueKey> placed = new LinkedHashSet<>();
        for (DeclaredQueue queue : declared) {
            place(queue, byKey, placed, new ArrayList<>());
        }
        return placed.stream().map(byKey::get).toList();
    }

    private static void place(
            DeclaredQueue queue, Map<QueueKey, DeclaredQueue> byKey, Set<QueueKey> placed, List<QueueKey> chain) {
        if (placed.contains(queue.key())) {
            return;
        }
        if (chain.contains(queue.key())) {
            List<String> names = new ArrayList<>(chain.subList(chain.indexOf(queue.key()), chain.size()).stream()
                    .map(QueueKey::name)
                    .toList());
            names.add(queue.key().name());
            throw new InitFileException(
                    queue.line(),
                    "queue " + queue.key().name(),
                    "its dead-letter queues form a cycle (" + String.join(" -> ", names) + ")");
        }
        chain.add(queue.key());
        QueueKey target = deadLetterQueue(queue);
        if (target != null && byKey.containsKey(target)) {
            place(byKey.get(target), byKey, placed, chain);
        }
        chain.remove(chain.size() - 1);
        placed.add(queue.key());
    }

    /** The queue the RedrivePolicy names, or null when there is none or it is not readable (the engine says why). */
    private static QueueKey deadLetterQueue(DeclaredQueue queue) {
        String policy = queue.attributes().get("RedrivePolicy");
        if (policy == null || policy.isEmpty()) {
            return null;
        }
        try {
            JsonNode target = JSON.readTree(policy).path("deadLetterTargetArn");
            QueueArn arn = QueueArn.parse(target.asText(null));
            return arn == null ? null : arn.key();
        } catch (IOException e) {
            return null;
        }
    }
}
