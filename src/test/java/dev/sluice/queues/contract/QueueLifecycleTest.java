package dev.sluice.queues.contract;

import static dev.sluice.queues.contract.QueuesFixture.errorOf;
import static dev.sluice.queues.contract.QueuesFixture.join;
import static dev.sluice.queues.contract.QueuesFixture.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueInfo;
import dev.sluice.queues.QueueKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** CreateQueue, DeleteQueue, tags and the 60-second re-create rule. Attribute ranges are in QueueAttributesTest. */
@QueuesContract
class QueueLifecycleTest extends QueuesCase {

    QueueLifecycleTest(Backend backend) {
        super(backend);
    }

    @Test
    void newQueueHasAwsDefaults() {
        QueueKey queue = sluice.createQueue("orders");

        QueueInfo info = sluice.info(queue);
        assertThat(info.settings().visibilityTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(info.settings().delay()).isZero();
        assertThat(info.settings().maximumMessageSize()).isEqualTo(1_048_576);
        assertThat(info.settings().messageRetentionPeriod()).isEqualTo(Duration.ofDays(4));
        assertThat(info.settings().receiveMessageWaitTime()).isZero();
        assertThat(info.settings().fifo()).isFalse();
        assertThat(info.created()).isEqualTo(sluice.clock.instant());
        assertThat(info.lastModified()).isEqualTo(sluice.clock.instant());
    }

    @Test
    void createQueueIsIdempotentWithSameAttributes() {
        Map<String, String> attributes = Map.of("VisibilityTimeout", "60", "DelaySeconds", "5");
        QueueKey queue = sluice.createQueue("orders", attributes);
        sluice.send(queue, "kept");
        sluice.clock.advanceSeconds(10);

        QueueInfo again = join(sluice.queues.createQueue(queue, attributes, Map.of()));

        assertThat(again.created()).isEqualTo(sluice.clock.instant().minusSeconds(10));
        assertThat(again.settings().visibilityTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(sluice.counts(queue))
                .as("the existing queue, messages and all")
                .containsExactly(1, 0, 0);
    }

    @Test
    void createQueueWithoutAttributesReturnsExistingQueueWhateverItsAttributes() {
        // SQS raises QueueNameExists only if the request includes attributes whose values differ (API reference).
        QueueKey queue = sluice.createQueue("orders", Map.of("VisibilityTimeout", "60"));

        QueueInfo again = join(sluice.queues.createQueue(queue, Map.of(), Map.of()));
        QueueInfo subset = join(sluice.queues.createQueue(queue, Map.of("DelaySeconds", "0"), Map.of()));

        assertThat(again.settings().visibilityTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(subset.settings().visibilityTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void createQueueWithDifferentAttributesIsQueueNameExists() {
        QueueKey queue = sluice.createQueue("orders", Map.of("VisibilityTimeout", "60"));

        assertThat(errorOf(() -> sluice.queues.createQueue(queue, Map.of("VisibilityTimeout", "61"), Map.of())))
                .isEqualTo(QueueError.QUEUE_NAME_EXISTS);
        assertThat(errorOf(() -> sluice.queues.createQueue(queue, Map.of("DelaySeconds", "1"), Map.of())))
                .as("differs from the default the queue has")
                .isEqualTo(QueueError.QUEUE_NAME_EXISTS);
        assertThat(sluice.info(queue).settings().visibilityTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void queueNamesAreCaseSensitiveAndPerAccount() {
        sluice.createQueue("Orders");
        sluice.createQueue("orders");
        join(sluice.queues.createQueue(new QueueKey("111111111111", "orders"), Map.of(), Map.of()));

        assertThat(join(sluice.queues.queueNames(QueuesFixture.ACCOUNT, null))).containsExactly("Orders", "orders");
        assertThat(join(sluice.queues.queueNames(QueuesFixture.ACCOUNT, "or"))).containsExactly("orders");
        assertThat(join(sluice.queues.queueNames("111111111111", null))).containsExactly("orders");
    }

    static Stream<String> invalidQueueNames() {
        return Stream.of("", "has space", "dotted.name", "slash/name", "emoji\uD83D\uDE00", "x".repeat(81));
    }

    @ParameterizedTest
    @MethodSource("invalidQueueNames")
    void invalidQueueNameIsRejected(String name) {
        assertThat(errorOf(() -> sluice.queues.createQueue(key(name), Map.of(), Map.of())))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(join(sluice.queues.queueNames(QueuesFixture.ACCOUNT, null))).isEmpty();
    }

    @Test
    void queueNameOfEightyAllowedCharactersIsAccepted() {
        String name = "A-_9" + "x".repeat(76);

        sluice.createQueue(name);

        assertThat(join(sluice.queues.queueNames(QueuesFixture.ACCOUNT, null))).containsExactly(name);
    }

    @Test
    void deleteQueueRemovesQueueAndMessages() {
        QueueKey queue = sluice.createQueue("orders");
        sluice.send(queue, "hello");

        join(sluice.queues.deleteQueue(queue));

        assertThat(errorOf(() -> sluice.queues.send(queue, QueuesFixture.message("x"))))
                .isEqualTo(QueueError.QUEUE_NOT_FOUND);
        assertThat(errorOf(() -> sluice.queues.deleteQueue(queue))).isEqualTo(QueueError.QUEUE_NOT_FOUND);
        assertThat(join(sluice.queues.queueNames(QueuesFixture.ACCOUNT, null))).isEmpty();
    }

    @Test
    void nonStrictModeAllowsRecreateAtOnceAndTheNewQueueIsEmpty() {
        QueueKey queue = sluice.createQueue("orders", Map.of("VisibilityTimeout", "60"));
        sluice.send(queue, "from the old queue");
        join(sluice.queues.deleteQueue(queue));

        sluice.createQueue("orders");

        assertThat(sluice.counts(queue)).containsExactly(0, 0, 0);
        assertThat(sluice.info(queue).settings().visibilityTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void strictModeRejectsRecreateWithinSixtySeconds() {
        QueuesFixture strict = strict();
        QueueKey queue = strict.createQueue("orders");
        join(strict.queues.deleteQueue(queue));

        strict.clock.advance(Duration.ofSeconds(60).minusMillis(1));
        assertThat(errorOf(() -> strict.queues.createQueue(queue, Map.of(), Map.of())))
                .isEqualTo(QueueError.QUEUE_DELETED_RECENTLY);
        assertThat(join(strict.queues.queueNames(QueuesFixture.ACCOUNT, null))).isEmpty();

        strict.clock.advance(Duration.ofMillis(1));
        strict.createQueue("orders");
        assertThat(join(strict.queues.queueNames(QueuesFixture.ACCOUNT, null))).containsExactly("orders");
    }

    @Test
    void strictModeRecreateRuleIsPerName() {
        QueuesFixture strict = strict();
        join(strict.queues.deleteQueue(strict.createQueue("orders")));

        strict.createQueue("invoices");

        assertThat(join(strict.queues.queueNames(QueuesFixture.ACCOUNT, null))).containsExactly("invoices");
    }

    @Test
    void tagsAreSetMergedAndRemoved() {
        QueueKey queue = key("tagged");
        join(sluice.queues.createQueue(queue, Map.of(), Map.of("team", "core", "env", "dev")));

        join(sluice.queues.tagQueue(queue, Map.of("env", "prod", "cost-center", "42")));
        assertThat(sluice.info(queue).tags())
                .containsExactlyInAnyOrderEntriesOf(Map.of("team", "core", "env", "prod", "cost-center", "42"));

        join(sluice.queues.untagQueue(queue, List.of("team", "absent")));
        assertThat(sluice.info(queue).tags())
                .containsExactlyInAnyOrderEntriesOf(Map.of("env", "prod", "cost-center", "42"));
    }

    @Test
    void tagRulesAreEnforced() {
        QueueKey queue = sluice.createQueue("tagged");
        Map<String, String> fifty = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            fifty.put("key" + i, "value");
        }
        join(sluice.queues.tagQueue(queue, fifty));

        assertThat(errorOf(() -> sluice.queues.tagQueue(queue, Map.of("one-more", "x"))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> sluice.queues.tagQueue(queue, Map.of("AWS:reserved", "x"))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> sluice.queues.tagQueue(queue, Map.of("k".repeat(129), "x"))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> sluice.queues.tagQueue(queue, Map.of("key0", "v".repeat(257)))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(sluice.info(queue).tags()).hasSize(50).containsEntry("key0", "value");
    }

    @Test
    void tagKeysAndValuesAreLettersDigitsSpaceAndAwsPunctuationOnly() {
        QueueKey queue = sluice.createQueue("tagged");
        Map<String, String> allowed = Map.of("Kostenstelle Größe", "Ünïcödé 42 _.:/=+-@", "日本", "値");
        join(sluice.queues.tagQueue(queue, allowed));

        for (Map<String, String> refused : List.of(
                Map.of("k", "v\u0001"),
                Map.of("k\u0001", "v"),
                Map.of("k", "line\nbreak"),
                Map.of("k", "\u001B[31mred"),
                Map.of("k", "a;b"),
                Map.of("k", "\uD800"))) {
            assertThat(errorOf(() -> sluice.queues.tagQueue(queue, refused)))
                    .as("%s", refused)
                    .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
            assertThat(errorOf(() -> sluice.queues.createQueue(key("tagged-at-create"), Map.of(), refused)))
                    .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        }
        assertThat(sluice.info(queue).tags()).isEqualTo(allowed);
    }

    @Test
    void setAttributesUpdatesLastModifiedOnly() {
        QueueKey queue = sluice.createQueue("orders");
        sluice.clock.advanceSeconds(5);

        join(sluice.queues.setAttributes(queue, Map.of("VisibilityTimeout", "45")));

        QueueInfo info = sluice.info(queue);
        assertThat(info.settings().visibilityTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(info.lastModified()).isEqualTo(sluice.clock.instant());
        assertThat(info.created()).isEqualTo(sluice.clock.instant().minusSeconds(5));
    }
}
