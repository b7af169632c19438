package dev.sluice.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.auth.Tenants;
import dev.sluice.engine.QueueEngine;
import dev.sluice.queues.IdSource;
import dev.sluice.queues.NewMessage;
import dev.sluice.queues.QueueInfo;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.queues.testkit.FakeClock;
import dev.sluice.quota.Quota;
import dev.sluice.quota.Rate;
import dev.sluice.store.memory.InMemoryStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Init files read and applied to a real engine and tenant registry on an in-memory store: dependency order,
 * idempotence across restarts, what happens to queues the file no longer lists, and refusals that name the line and
 * change nothing.
 */
class InitFileTest {
    private static final String ACCOUNT = "000000000000";

    private final InMemoryStore store = new InMemoryStore();
    private final FakeClock clock = new FakeClock();
    private QueueEngine engine = new QueueEngine(store, clock, clock, IdSource.random(), Strictness.LENIENT);
    private Tenants tenants = new Tenants(store, clock);

    private InitFileLoader.Outcome load(String yaml) {
        return load(yaml, false);
    }

    private InitFileLoader.Outcome load(String yaml, boolean deleteUnlisted) {
        InitFile file = new InitFileReader(ACCOUNT, "eu-west-1").read(yaml);
        return new InitFileLoader(engine, tenants).load(file, deleteUnlisted);
    }

    /** A new engine and registry on the same store: what the next start sees. */
    private void restart() {
        engine = new QueueEngine(store, clock, clock, IdSource.random(), Strictness.LENIENT);
        tenants = new Tenants(store, clock);
    }

    private QueueInfo queue(String name) {
        return engine.describe(new QueueKey(ACCOUNT, name))
                .toCompletableFuture()
                .join();
    }

    private List<String> queueNames() {
        return engine.queueNames(ACCOUNT, "").toCompletableFuture().join();
    }

    private static final String SHOP = """
            # orders goes first in the file; its dead-letter queue must still be created before it
            queues:
              orders:
                attributes:
                  VisibilityTimeout: 60
                  DelaySeconds: 5
                  RedrivePolicy: {deadLetterQueue: orders-dlq, maxReceiveCount: 3}
                tags: {team: shop}
              orders-dlq:
                attributes:
                  MessageRetentionPeriod: 1209600
                  RedriveAllowPolicy: {redrivePermission: byQueue, sourceQueues: [orders]}
              events.fifo:
                attributes: {FifoQueue: true, ContentBasedDeduplication: true}
              plain:
            """;

    @Test
    void createsEveryQueueWithItsAttributesAndTagsDeadLetterQueuesFirst() {
        InitFileLoader.Outcome outcome = load(SHOP);

        assertThat(outcome.queuesCreated()).isEqualTo(4);
        assertThat(queueNames()).containsExactlyInAnyOrder("orders", "orders-dlq", "events.fifo", "plain");
        assertThat(queue("orders").settings().values())
                .containsEntry("VisibilityTimeout", "60")
                .containsEntry("DelaySeconds", "5")
                .containsEntry(
                        "RedrivePolicy",
                        "{\"maxReceiveCount\":3,\"deadLetterTargetArn\":\"arn:aws:sqs:eu-west-1:000000000000:orders-dlq\"}");
        assertThat(queue("orders").tags()).containsExactly(Map.entry("team", "shop"));
        assertThat(queue("orders-dlq").settings().values())
                .containsEntry("MessageRetentionPeriod", "1209600")
                .containsEntry(
                        "RedriveAllowPolicy",
                        "{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":[\"arn:aws:sqs:eu-west-1:000000000000:orders\"]}");
        assertThat(queue("events.fifo").settings().fifo()).isTrue();
        assertThat(queue("events.fifo").settings().contentBasedDeduplication()).isTrue();
        assertThat(engine.deadLetterSourceQueues(new QueueKey(ACCOUNT, "orders-dlq"))
                        .toCompletableFuture()
                        .join())
                .containsExactly(new QueueKey(ACCOUNT, "orders"));
    }

    @Test
    void theSameFileAtTheNextStartKeepsMessagesAndChangesNothing() {
        load(SHOP);
        QueueKey orders = new QueueKey(ACCOUNT, "orders");
        engine.send(orders, new NewMessage("kept", Map.of(), Map.of(), Optional.of(Duration.ZERO), null))
                .toCompletableFuture()
                .join();
        Map<String, String> before = queue("orders").settings().values();

        restart();
        InitFileLoader.Outcome outcome = load(SHOP);

        assertThat(outcome.queuesCreated()).isZero();
        assertThat(outcome.queuesUpdated()).isEqualTo(4);
        assertThat(queue("orders").settings().values()).isEqualTo(before);
        assertThat(queue("orders").visible()).isEqualTo(1);
        assertThat(engine.receive(orders, new ReceiveOptions(10, Optional.empty(), Optional.empty()))
                        .toCompletableFuture()
                        .join())
                .extracting(received -> received.body())
                .containsExactly("kept");
    }

    @Test
    void aChangedFileUpdatesAttributesAndLeavesUnlistedQueuesAlone() {
        load(SHOP);
        engine.createQueue(new QueueKey(ACCOUNT, "made-by-hand"), Map.of(), Map.of());

        load("""
                queues:
                  orders:
                    attributes: {VisibilityTimeout: 90}
                    tags: {owner: ops}
                """);

        assertThat(queue("orders").settings().values())
                .containsEntry("VisibilityTimeout", "90")
                .as("attributes the file no longer sets stay as they were")
                .containsEntry("DelaySeconds", "5");
        assertThat(queue("orders").tags()).containsOnly(Map.entry("team", "shop"), Map.entry("owner", "ops"));
        assertThat(queueNames()).contains("made-by-hand", "orders-dlq", "plain");
    }

    @Test
    void deleteUnlistedRemovesTheQueuesOfTheFilesAccountsThatItDoesNotList() {
        load(SHOP);
        engine.createQueue(new QueueKey("111111111111", "elsewhere"), Map.of(), Map.of());

        InitFileLoader.Outcome outcome = load("queues: {plain: {}}", true);

        assertThat(outcome.queuesDeleted()).isEqualTo(3);
        assertThat(queueNames()).containsExactly("plain");
        assertThat(engine.queueNames("111111111111", "").toCompletableFuture().join())
                .as("an account the file does not name")
                .containsExactly("elsewhere");
    }

    @Test
    void aDeadLetterQueueThatAlreadyExistsMayBeNamed() {
        engine.createQueue(new QueueKey(ACCOUNT, "old-dlq"), Map.of(), Map.of());

        load("""
                queues:
                  jobs:
                    attributes:
                      RedrivePolicy: {deadLetterQueue: old-dlq, maxReceiveCount: 5}
                """);

        assertThat(queue("jobs").settings().redrivePolicy().deadLetterTarget().key())
                .isEqualTo(new QueueKey(ACCOUNT, "old-dlq"));
    }

    @Test
    void aBadQueueIsRefusedWithItsLineBeforeAnythingIsCreated() {
        assertThatThrownBy(() -> load("""
                        queues:
                          good: {}
                          jobs:
                            attributes:
                              VisibilityTimeout: 99999
                        """))
                .isInstanceOf(InitFileException.class)
                .hasMessage(
                        "line 3: queue jobs (account 000000000000): Invalid value for the parameter VisibilityTimeout.");
        assertThat(queueNames()).isEmpty();
    }

    @Test
    void aMissingDeadLetterQueueIsRefused() {
        assertThatThrownBy(() -> load("""
                        queues:
                          good: {}
                          jobs:
                            attributes:
                              RedrivePolicy: {deadLetterQueue: nowhere, maxReceiveCount: 5}
                        """))
                .hasMessageStartingWith("line 3: queue jobs (account 000000000000): ")
                .hasMessageContaining("Dead letter target does not exist.");
        assertThat(queueNames()).isEmpty();
    }

    @Test
    void aStandardQueueCannotUseAFifoDeadLetterQueue() {
        assertThatThrownBy(() -> load("""
                        queues:
                          dlq.fifo: {attributes: {FifoQueue: true}}
                          jobs: {attributes: {RedrivePolicy: {deadLetterQueue: dlq.fifo, maxReceiveCount: 5}}}
                        """))
                .hasMessageContaining("line 3: queue jobs")
                .hasMessageContaining("Dead-letter queue must be same type of queue as the source.");
        assertThat(queueNames()).isEmpty();
    }

    @Test
    void deadLetterQueuesThatFormACycleAreRefused() {
        assertThatThrownBy(() -> load("""
                        queues:
                          a: {attributes: {RedrivePolicy: {deadLetterQueue: b, maxReceiveCount: 5}}}
                          b: {attributes: {RedrivePolicy: {deadLetterQueue: a, maxReceiveCount: 5}}}
                        """))
                .hasMessage("line 2: queue a: its dead-letter queues form a cycle (a -> b -> a)");
    }

    @Test
    void shapeErrorsNameTheirLine() {
        assertThatThrownBy(() -> load("""
                        queues:
                          jobs:
                            atributes: {VisibilityTimeout: 5}
                        """))
                .hasMessage("line 3: queue jobs (account 000000000000): unknown key 'atributes' (expected attributes,"
                        + " tags)");
        assertThatThrownBy(() -> load("""
                        queues:
                          jobs: {}
                          jobs: {}
                        """))
                .hasMessageStartingWith("line 3: ")
                .hasMessageContaining("Duplicate field 'jobs'");
        assertThatThrownBy(() -> load("""
                        queues:
                          jobs:
                            attributes:
                              VisibilityTimeout: [1, 2]
                        """))
                .hasMessage("line 4: queue jobs (account 000000000000), attribute VisibilityTimeout: must be a single"
                        + " value");
        assertThatThrownBy(() -> load("queues: {jobs: {attributes: {VisibilityTimeout: 5}\n"))
                .isInstanceOf(InitFileException.class)
                .hasMessageStartingWith("line ");
        assertThatThrownBy(() -> load("accounts: {\"12345\": {queues: {}}}"))
                .hasMessageContaining("account 12345: an account id is 12 digits");
    }

    @Test
    void aJsonFileIsReadToo() {
        load("""
                {"queues": {"jobs": {"attributes": {"VisibilityTimeout": "7"}}}}
                """);

        assertThat(queue("jobs").settings().visibilityTimeout()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void tenantsAreDeclaredWithTheirKeysAndQueues() {
        load("""
                accounts:
                  "111111111111":
                    tenant:
                      name: team a
                      maxQueues: 10
                      keys:
                        - {accessKeyId: AKIDTEAMA, secretAccessKey: secret-a}
                    queues:
                      jobs: {}
                """);

        assertThat(tenants.tenant("111111111111")).hasValueSatisfying(tenant -> {
            assertThat(tenant.name()).isEqualTo("team a");
            assertThat(tenant.maxQueues()).contains(10);
        });
        assertThat(tenants.find("AKIDTEAMA")).hasValueSatisfying(key -> {
            assertThat(key.accountId()).isEqualTo("111111111111");
            assertThat(key.secret()).isEqualTo("secret-a");
        });
        assertThat(engine.queueNames("111111111111", "").toCompletableFuture().join())
                .containsExactly("jobs");

        restart();
        load("""
                accounts:
                  "111111111111":
                    tenant: {name: team a (renamed), keys: [{accessKeyId: AKIDTEAMA, secretAccessKey: rotated}]}
                """);
        assertThat(tenants.tenant("111111111111").orElseThrow().name()).isEqualTo("team a (renamed)");
        assertThat(tenants.find("AKIDTEAMA").orElseThrow().secret()).isEqualTo("rotated");
    }

    @Test
    void aTenantsQuotaIsDeclaredAsTheFileSays() {
        load("""
                accounts:
                  "111111111111":
                    tenant:
                      name: team a
                      quota:
                        requestsPerSecond: 500
                        requestBurst: 1000
                        bytesPerSecond: 10485760
                        queues:
                          jobs: {requestsPerSecond: 50}
                """);
        assertThat(tenants.tenant("111111111111").orElseThrow().quota())
                .contains(new Quota(
                        Optional.of(new Rate(500, 1000)),
                        Optional.of(new Rate(10_485_760, 10_485_760)),
                        Map.of("jobs", new Rate(50, 50))));

        restart();
        load("""
                accounts:
                  "111111111111":
                    tenant: {name: team a, quota: {requestsPerSecond: 20}}
                """);
        assertThat(tenants.tenant("111111111111").orElseThrow().quota())
                .contains(new Quota(Optional.of(new Rate(20, 20)), Optional.empty(), Map.of()));

        restart();
        load("""
                accounts:
                  "111111111111":
                    tenant: {name: team a}
                """);
        assertThat(tenants.tenant("111111111111").orElseThrow().quota())
                .as("a tenant the file declares without a quota has the default")
                .isEmpty();
    }

    @Test
    void aBadQuotaIsRefusedWithItsLine() {
        assertThatThrownBy(() -> load("""
                        accounts:
                          "111111111111":
                            tenant:
                              quota:
                                requestBurst: 5
                        """))
                .hasMessage("line 5: tenant 111111111111, quota: requestBurst needs requestsPerSecond");
        assertThatThrownBy(() -> load("""
                        accounts:
                          "111111111111":
                            tenant:
                              quota: {requestsPerSecond: 0}
                        """))
                .hasMessageStartingWith(
                        "line 4: tenant 111111111111, quota, requestsPerSecond: must be a whole number");
        assertThatThrownBy(() -> load("""
                        accounts:
                          "111111111111":
                            tenant:
                              quota: {queues: {jobs: {requestBurst: 3}}}
                        """)).hasMessageContaining("queue jobs");
        assertThat(tenants.tenant("111111111111")).isEmpty();
    }

    @Test
    void aKeyOfAnotherAccountIsRefusedWithoutShowingTheSecret() {
        tenants.declare("222222222222", "AKIDTAKEN", "theirs")
                .toCompletableFuture()
                .join();

        assertThatThrownBy(() -> load("""
                        accounts:
                          "111111111111":
                            tenant:
                              keys:
                                - {accessKeyId: AKIDTAKEN, secretAccessKey: very-secret}
                            queues: {jobs: {}}
                        """))
                .hasMessage(
                        "line 5: tenant 111111111111, key AKIDTAKEN: this access key belongs to account 222222222222")
                .hasMessageNotContaining("very-secret");
        assertThat(tenants.tenant("111111111111")).isEmpty();
        assertThat(engine.queueNames("111111111111", "").toCompletableFuture().join())
                .isEmpty();
    }

    @Test
    void anEmptyFileDeclaresNothing() {
        assertThat(load("# nothing yet\n")).isEqualTo(new InitFileLoader.Outcome(0, 0, 0, 0, 0));
    }
}
