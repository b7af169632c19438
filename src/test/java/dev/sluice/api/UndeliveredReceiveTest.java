package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.QueueEngine;
import dev.sluice.queues.IdSource;
import dev.sluice.queues.NewMessage;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.queues.testkit.FakeClock;
import dev.sluice.store.memory.InMemoryStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A ReceiveMessage result that could not be sent gives its messages back through {@link SqsApi#undelivered}. */
class UndeliveredReceiveTest {
    private final FakeClock clock = new FakeClock();
    private final QueueEngine engine =
            new QueueEngine(new InMemoryStore(), clock, clock, IdSource.random(), Strictness.LENIENT);
    private final SqsApi api = new SqsApi(engine);
    private final Caller caller = new Caller("000000000000", "http://localhost:9324", null, "us-east-1");
    private final QueueKey queue = new QueueKey("000000000000", "orders");

    @Test
    void theMessagesOfAnUndeliveredReceiveAreVisibleAgainAndTheReceiveIsNotCounted() {
        engine.createQueue(queue, Map.of(), Map.of()).toCompletableFuture().join();
        engine.send(queue, new NewMessage("hello", Map.of(), Map.of(), Optional.empty(), "000000000000", null, null))
                .toCompletableFuture()
                .join();
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("QueueUrl", caller.queueUrl(queue));
        members.put("MaxNumberOfMessages", 10);
        members.put("VisibilityTimeout", 300);
        members.put("AttributeNames", List.of("ApproximateReceiveCount"));
        Params params = new Params(members);
        Map<String, Object> result = api.invoke("ReceiveMessage", caller, params)
                .toCompletableFuture()
                .join();
        assertThat((List<?>) result.get("Messages")).hasSize(1);
        assertThat(engine.describe(queue).toCompletableFuture().join().inFlight())
                .isEqualTo(1);

        api.undelivered("ReceiveMessage", caller, params, result);

        assertThat(engine.describe(queue).toCompletableFuture().join().visible())
                .isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        Map<String, Object> again = api.invoke("ReceiveMessage", caller, params)
                .toCompletableFuture()
                .join();
        List<?> messages = (List<?>) again.get("Messages");
        assertThat(messages).hasSize(1);
        assertThat(((Map<?, ?>) ((Map<?, ?>) messages.getFirst()).get("Attributes")).get("ApproximateReceiveCount"))
                .isEqualTo("1");
    }
}
