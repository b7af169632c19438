package dev.sluice.queues.contract;

import static dev.sluice.queues.contract.QueuesFixture.errorOf;
import static dev.sluice.queues.contract.QueuesFixture.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Queues.editPolicy, the read-modify-write of a queue's Policy that AddPermission and RemovePermission are made of: the
 * edit sees the policy as stored, its result is stored as SetQueueAttributes would store it, and edits at the same
 * time all land.
 */
@QueuesContract
class PolicyEditTest extends QueuesCase {
    private final QueueKey queue;

    PolicyEditTest(Backend backend) {
        super(backend);
        this.queue = sluice.createQueue("shared");
    }

    private static String policy(int statements) {
        List<String> sids = new ArrayList<>();
        for (int i = 0; i < statements; i++) {
            sids.add(
                    "{\"Sid\":\"s" + i + "\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sqs:SendMessage\"}");
        }
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", sids) + "]}";
    }

    private String stored() {
        return sluice.info(queue).settings().values().get("Policy");
    }

    @Test
    void theEditSeesTheStoredPolicyAndItsResultIsStored() {
        List<String> seen = new ArrayList<>();
        join(sluice.queues.editPolicy(queue, current -> {
            seen.add(current);
            return policy(1);
        }));
        join(sluice.queues.editPolicy(queue, current -> {
            seen.add(current);
            return policy(2);
        }));

        assertThat(seen).containsExactly(null, policy(1));
        assertThat(stored()).isEqualTo(policy(2));
    }

    @Test
    void nullOrEmptyRemovesThePolicy() {
        join(sluice.queues.setAttributes(queue, Map.of("Policy", policy(1))));

        join(sluice.queues.editPolicy(queue, current -> null));

        assertThat(sluice.info(queue).settings().values()).doesNotContainKey("Policy");
    }

    @Test
    void anEditThatRefusesStoresNothing() {
        join(sluice.queues.setAttributes(queue, Map.of("Policy", policy(1))));

        assertThat(errorOf(() -> sluice.queues.editPolicy(queue, current -> {
                    throw QueueException.invalidParameter("no");
                })))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(stored()).isEqualTo(policy(1));
    }

    @Test
    void aPolicyThatIsNoPolicyDocumentIsRefusedAsSetQueueAttributesWould() {
        assertThat(errorOf(() -> sluice.queues.editPolicy(queue, current -> "[]")))
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_VALUE);
        assertThat(stored()).isNull();
    }

    @Test
    void editsAtTheSameTimeAllLand() throws Exception {
        int editors = 16;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> edits = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < editors; i++) {
                edits.add(pool.submit(() -> {
                    start.await();
                    // Each edit adds one statement to what it reads: a lost update would lose one.
                    return join(sluice.queues.editPolicy(queue, current -> policy(statements(current) + 1)));
                }));
            }
            start.countDown();
            for (Future<?> edit : edits) {
                edit.get();
            }
        }

        assertThat(statements(stored())).isEqualTo(editors);
    }

    private static int statements(String policy) {
        return policy == null ? 0 : policy.split("\"Sid\"").length - 1;
    }
}
