package dev.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.queues.MessageAttribute;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} must do, run once per implementation: each commit applies its changes atomically and in
 * order, and {@link Store#load()} returns exactly what was committed. Records are compared field by field, so byte
 * arrays in binary attributes are compared by content.
 */
public abstract class StoreContract {
    protected Store store;

    /** A new, empty store whose commits complete only when they are durable. */
    protected abstract Store openStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openStore();
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    // ---- builders

    public static StoredQueue queue(String queueId, String name) {
        return new StoredQueue(
                queueId,
                null,
                "000000000000",
                name,
                Map.of("VisibilityTimeout", "30", "Policy", "{\"Version\":\"2012-10-17\"}"),
                Map.of("team", "core"),
                1_000L,
                2_000L,
                3_000L);
    }

    public static StoredMessage message(String queueId, String messageId, long sequence) {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        attributes.put("text", new MessageAttribute("String", "value ü \uD83D\uDE00", null));
        attributes.put("price", new MessageAttribute("Number.float", "1.5", null));
        attributes.put("image", new MessageAttribute("Binary", null, new byte[] {0, 1, -1, 127, -128}));
        return new StoredMessage(
                queueId,
                messageId,
                sequence,
                "body of " + messageId,
                attributes,
                Map.of("AWSTraceHeader", new MessageAttribute("String", "Root=1-abc", null)),
                "AIDAEXAMPLE",
                sequence / 1000,
                sequence / 1000 + 7,
                null,
                null,
                null);
    }

    public static StoredDelivery delivery(String queueId, String messageId, long visibleAt, int receiveCount) {
        return new StoredDelivery(
                queueId, messageId, visibleAt, receiveCount, receiveCount == 0 ? 0 : 10, receiveCount == 0 ? 0 : 20);
    }

    public static StoreChange.PutMessage put(String queueId, String messageId, long sequence) {
        return new StoreChange.PutMessage(message(queueId, messageId, sequence), delivery(queueId, messageId, 0, 0));
    }

    protected void commit(StoreChange... changes) {
        join(store.commit(List.of(changes)));
    }

    protected static void join(CompletionStage<Void> stage) {
        try {
            stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("commit did not complete", e);
        }
    }

    protected static void assertSnapshot(
            StoreSnapshot actual, List<StoredQueue> queues, List<StoreSnapshot.Entry> messages) {
        assertThat(actual.queues())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactlyInAnyOrderElementsOf(queues);
        assertThat(actual.messages())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactlyInAnyOrderElementsOf(messages);
    }

    private static StoreSnapshot.Entry entry(StoreChange.PutMessage put) {
        return new StoreSnapshot.Entry(put.message(), put.delivery());
    }

    // ---- the contract

    @Test
    void newStoreIsEmpty() {
        assertSnapshot(store.load(), List.of(), List.of());
    }

    @Test
    void putQueueCreatesAndReplaces() {
        StoredQueue created = queue("q-1", "orders");
        commit(new StoreChange.PutQueue(created));
        assertSnapshot(store.load(), List.of(created), List.of());

        StoredQueue replaced = new StoredQueue(
                "q-1",
                null,
                "000000000000",
                "orders",
                Map.of("VisibilityTimeout", "60"),
                Map.of(),
                1_000L,
                5_000L,
                9_000L);
        commit(new StoreChange.PutQueue(replaced));

        assertSnapshot(store.load(), List.of(replaced), List.of());
    }

    @Test
    void queuesWithTheSameNameButDifferentIdsAreKeptApart() {
        StoredQueue old = queue("q-old", "orders");
        StoredQueue other = queue("q-other", "invoices");
        commit(new StoreChange.PutQueue(old), new StoreChange.PutQueue(other));

        assertSnapshot(store.load(), List.of(old, other), List.of());
    }

    @Test
    void putMessageStoresMessageAndDeliveryExactly() {
        commit(new StoreChange.PutQueue(queue("q-1", "orders")));
        StoreChange.PutMessage put = put("q-1", "m-1", 1_000_000);
        StoredMessage bare = new StoredMessage(
                "q-1",
                "m-2",
                1_000_001,
                "x".repeat(70_000),
                Map.of(),
                Map.of(),
                null,
                0,
                5,
                "group",
                "dedup",
                "000000000000/source");
        StoreChange.PutMessage putBare = new StoreChange.PutMessage(bare, delivery("q-1", "m-2", 99, 0));

        commit(put, putBare);

        assertSnapshot(store.load(), List.of(queue("q-1", "orders")), List.of(entry(put), entry(putBare)));
    }

    @Test
    void putDeliveryReplacesTheDeliveryState() {
        commit(new StoreChange.PutQueue(queue("q-1", "orders")), put("q-1", "m-1", 1));
        StoredDelivery received = delivery("q-1", "m-1", 30_000, 1);
        StoredDelivery receivedAgain = delivery("q-1", "m-1", 60_000, 2);

        commit(new StoreChange.PutDelivery(received));
        commit(new StoreChange.PutDelivery(receivedAgain));

        assertThat(store.load().messages())
                .singleElement()
                .satisfies(entry -> assertThat(entry.delivery()).isEqualTo(receivedAgain));
    }

    @Test
    void putDeliveryOfAMessageThatIsGoneIsIgnored() {
        commit(new StoreChange.PutQueue(queue("q-1", "orders")), put("q-1", "m-1", 1));
        commit(new StoreChange.DeleteMessages("q-1", List.of("m-1")));

        commit(new StoreChange.PutDelivery(delivery("q-1", "m-1", 30_000, 1)));
        commit(new StoreChange.PutDelivery(delivery("q-unknown", "m-9", 30_000, 1)));

        assertThat(store.load().messages()).isEmpty();
        commit(put("q-1", "m-2", 2));
        assertThat(store.load().messages())
                .extracting(e -> e.message().messageId())
                .containsExactly("m-2");
    }

    @Test
    void deleteMessagesRemovesOnlyTheListedMessagesOfThatQueue() {
        commit(new StoreChange.PutQueue(queue("q-1", "orders")), new StoreChange.PutQueue(queue("q-2", "invoices")));
        StoreChange.PutMessage kept = put("q-1", "m-2", 2);
        StoreChange.PutMessage sameIdOtherQueue = put("q-2", "m-1", 1);
        commit(put("q-1", "m-1", 1), kept, put("q-1", "m-3", 3), sameIdOtherQueue);

        commit(new StoreChange.DeleteMessages("q-1", List.of("m-1", "m-3", "never-existed")));
        commit(new StoreChange.DeleteMessages("q-missing", List.of("m-2")));

        assertSnapshot(
                store.load(),
                List.of(queue("q-1", "orders"), queue("q-2", "invoices")),
                List.of(entry(kept), entry(sameIdOtherQueue)));
    }

    @Test
    void deleteQueueRemovesOnlyThatQueueAndItsMessagesEvenWhenIdsSharePrefixes() {
        // Ids that are prefixes of each other, and ones that sort right before and after "q-1/" and "q-10".
        List<String> ids = List.of("q-1", "q-10", "q-1x", "q-1.", "q-1-", "q-", "q-2");
        for (String id : ids) {
            commit(new StoreChange.PutQueue(queue(id, "name" + ids.indexOf(id))), put(id, "m-1", 1), put(id, "m-2", 2));
        }

        commit(new StoreChange.DeleteQueue("q-1"));

        StoreSnapshot snapshot = store.load();
        assertThat(snapshot.queues())
                .extracting(StoredQueue::queueId)
                .containsExactlyInAnyOrder("q-10", "q-1x", "q-1.", "q-1-", "q-", "q-2");
        assertThat(snapshot.messages())
                .extracting(e -> e.message().queueId() + "/" + e.message().messageId())
                .containsExactlyInAnyOrder(
                        "q-10/m-1",
                        "q-10/m-2",
                        "q-1x/m-1",
                        "q-1x/m-2",
                        "q-1./m-1",
                        "q-1./m-2",
                        "q-1-/m-1",
                        "q-1-/m-2",
                        "q-/m-1",
                        "q-/m-2",
                        "q-2/m-1",
                        "q-2/m-2");
    }

    @Test
    void deleteQueueOfAnUnknownQueueChangesNothing() {
        commit(new StoreChange.PutQueue(queue("q-1", "orders")), put("q-1", "m-1", 1));

        commit(new StoreChange.DeleteQueue("q-unknown"));

        assertThat(store.load().messages()).hasSize(1);
        assertThat(store.load().queues()).hasSize(1);
    }

    @Test
    void changesOfOneCommitApplyInOrder() {
        commit(new StoreChange.PutQueue(queue("q-1", "orders")));
        StoreChange.PutMessage readded = put("q-1", "m-2", 2);

        commit(
                put("q-1", "m-1", 1),
                new StoreChange.PutDelivery(delivery("q-1", "m-1", 5, 1)),
                new StoreChange.DeleteMessages("q-1", List.of("m-1")),
                new StoreChange.DeleteMessages("q-1", List.of("m-2")),
                readded);

        assertSnapshot(store.load(), List.of(queue("q-1", "orders")), List.of(entry(readded)));
    }

    @Test
    void loadReturnsExactlyWhatWasCommitted() {
        StoredQueue orders = queue("q-1", "orders");
        StoredQueue invoices = queue("q-2", "invoices");
        StoreChange.PutMessage first = put("q-1", "m-1", 1);
        StoreChange.PutMessage second = put("q-1", "m-2", 2);
        StoreChange.PutMessage third = put("q-2", "m-3", 3);
        commit(new StoreChange.PutQueue(orders), new StoreChange.PutQueue(invoices));
        commit(first, second);
        commit(third);
        StoredDelivery secondReceived = delivery("q-1", "m-2", 40_000, 1);
        commit(new StoreChange.PutDelivery(secondReceived));
        commit(new StoreChange.DeleteMessages("q-1", List.of("m-1")));
        StoredQueue invoicesTagged = new StoredQueue(
                "q-2", null, "000000000000", "invoices", Map.of(), Map.of("env", "prod"), 1_000L, 7_000L, 3L);
        commit(new StoreChange.PutQueue(invoicesTagged));

        assertSnapshot(
                store.load(),
                List.of(orders, invoicesTagged),
                List.of(new StoreSnapshot.Entry(second.message(), secondReceived), entry(third)));
    }

    // ---- tenants and access keys

    public static StoredTenant tenant(String accountId, Integer maxQueues, Long maxMessages) {
        return new StoredTenant(accountId, "team " + accountId, true, maxQueues, maxMessages, 5_000L);
    }

    public static StoredAccessKey accessKey(String id, String accountId) {
        return new StoredAccessKey(id, "secret/" + id + "+ü", accountId, true, 6_000L);
    }

    @Test
    void tenantsAndKeysAreStoredReplacedAndDeleted() {
        StoredTenant limited = tenant("111111111111", 10, 1_000_000L);
        StoredTenant unlimited = tenant("222222222222", null, null);
        StoredAccessKey first = accessKey("AKIDA1", "111111111111");
        StoredAccessKey second = accessKey("AKIDA2", "111111111111");
        StoredAccessKey other = accessKey("AKIDB1", "222222222222");
        commit(
                new StoreChange.PutTenant(limited),
                new StoreChange.PutTenant(unlimited),
                new StoreChange.PutAccessKey(first),
                new StoreChange.PutAccessKey(second),
                new StoreChange.PutAccessKey(other));
        StoredAccessKey firstDisabled = new StoredAccessKey("AKIDA1", first.secret(), "111111111111", false, 6_000L);
        StoredTenant unlimitedDisabled = new StoredTenant("222222222222", "renamed", false, null, null, 5_000L);
        commit(
                new StoreChange.PutAccessKey(firstDisabled),
                new StoreChange.PutTenant(unlimitedDisabled),
                new StoreChange.DeleteAccessKey("AKIDA2"));

        StoreSnapshot snapshot = store.load();
        assertThat(snapshot.tenants()).containsExactlyInAnyOrder(limited, unlimitedDisabled);
        assertThat(snapshot.accessKeys()).containsExactlyInAnyOrder(firstDisabled, other);
        assertThat(store.loadAccounts())
                .isEqualTo(new StoreSnapshot.Accounts(snapshot.tenants(), snapshot.accessKeys()));

        commit(new StoreChange.DeleteAccessKey("AKIDB1"), new StoreChange.DeleteTenant("222222222222"));

        assertThat(store.loadAccounts().tenants()).containsExactly(limited);
        assertThat(store.loadAccounts().accessKeys()).containsExactly(firstDisabled);
    }

    @Test
    void aTenantsQuotaIsStoredAndReplaced() {
        StoredTenant withQuota = new StoredTenant(
                "111111111111",
                "team a",
                true,
                null,
                null,
                5_000L,
                new StoredQuota(
                        new StoredRate(100, 200),
                        null,
                        Map.of("orders", new StoredRate(5, 5), "jobs.fifo", new StoredRate(300, 300))));
        StoredTenant withBytesOnly = new StoredTenant(
                "222222222222",
                "team b",
                true,
                3,
                null,
                5_000L,
                new StoredQuota(null, new StoredRate(1_048_576, 10), Map.of()));
        commit(new StoreChange.PutTenant(withQuota), new StoreChange.PutTenant(withBytesOnly));
        assertThat(store.loadAccounts().tenants()).containsExactlyInAnyOrder(withQuota, withBytesOnly);

        StoredTenant quotaRemoved = tenant("111111111111", null, null);
        commit(new StoreChange.PutTenant(quotaRemoved));
        assertThat(store.load().tenants()).containsExactlyInAnyOrder(quotaRemoved, withBytesOnly);
    }

    @Test
    void tenantsDoNotDisturbQueues() {
        StoredQueue orders = queue("q-1", "orders");
        StoreChange.PutMessage put = put("q-1", "m-1", 1);
        commit(new StoreChange.PutQueue(orders), put, new StoreChange.PutTenant(tenant("000000000000", 1, null)));

        assertSnapshot(store.load(), List.of(orders), List.of(entry(put)));
    }

    // ---- deduplication records and move tasks

    public static StoredDeduplication deduplication(String queueId, String key, long expiresAt) {
        return new StoredDeduplication(queueId, key, "message-of-" + key, 1_767_225_600_000_000L, expiresAt);
    }

    public static StoredMoveTask moveTask(String handle, String status, long moved) {
        return new StoredMoveTask(
                handle,
                "000000000000/dlq",
                null,
                "arn:aws:sqs:us-east-1:000000000000:dlq",
                null,
                0,
                status,
                moved,
                25,
                null,
                1_000L);
    }

    @Test
    void putDeduplicationStoresTheRecordExactly() {
        commit(new StoreChange.PutQueue(queue("q-1", "orders.fifo")));
        StoredDeduplication explicit = deduplication("q-1", "dedup-1", 300_000);
        // messageGroup scope: "<group> <id>"; ids may hold any printable ASCII, '/' included.
        StoredDeduplication perGroup = deduplication("q-1", "group-a a/b:c!~", 300_001);

        commit(new StoreChange.PutDeduplication(explicit), new StoreChange.PutDeduplication(perGroup));

        assertThat(store.load().deduplications())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactlyInAnyOrder(explicit, perGroup);
    }

    @Test
    void putDeduplicationReplacesTheRecordOfTheSameKey() {
        commit(new StoreChange.PutQueue(queue("q-1", "orders.fifo")));
        commit(new StoreChange.PutDeduplication(deduplication("q-1", "dedup-1", 300_000)));
        StoredDeduplication renewed = new StoredDeduplication("q-1", "dedup-1", "m-2", 42, 900_000);

        commit(new StoreChange.PutDeduplication(renewed));

        assertThat(store.load().deduplications()).containsExactly(renewed);
    }

    @Test
    void deleteDeduplicationsForgetsOnlyTheListedKeysOfThatQueue() {
        commit(new StoreChange.PutQueue(queue("q-1", "a.fifo")), new StoreChange.PutQueue(queue("q-2", "b.fifo")));
        StoredDeduplication kept = deduplication("q-1", "kept", 300_000);
        StoredDeduplication sameKeyOtherQueue = deduplication("q-2", "gone", 300_000);
        commit(
                new StoreChange.PutDeduplication(deduplication("q-1", "gone", 100_000)),
                new StoreChange.PutDeduplication(kept),
                new StoreChange.PutDeduplication(sameKeyOtherQueue));

        commit(new StoreChange.DeleteDeduplications("q-1", List.of("gone", "never-existed")));
        commit(new StoreChange.DeleteDeduplications("q-unknown", List.of("kept")));

        assertThat(store.load().deduplications()).containsExactlyInAnyOrder(kept, sameKeyOtherQueue);
    }

    @Test
    void deleteQueueRemovesThatQueuesDeduplicationRecordsOnly() {
        List<String> ids = List.of("q-1", "q-10", "q-1x", "q-1-", "q-");
        for (String id : ids) {
            commit(
                    new StoreChange.PutQueue(queue(id, "name" + ids.indexOf(id))),
                    new StoreChange.PutDeduplication(deduplication(id, "dedup", 300_000)),
                    new StoreChange.PutDeduplication(deduplication(id, "g x", 300_000)));
        }

        commit(new StoreChange.DeleteQueue("q-1"));

        assertThat(store.load().deduplications())
                .extracting(d -> d.queueId() + "|" + d.key())
                .containsExactlyInAnyOrder(
                        "q-10|dedup",
                        "q-10|g x",
                        "q-1x|dedup",
                        "q-1x|g x",
                        "q-1-|dedup",
                        "q-1-|g x",
                        "q-|dedup",
                        "q-|g x");
    }

    @Test
    void deduplicationAndMessageOfOneCommitApplyTogether() {
        commit(new StoreChange.PutQueue(queue("q-1", "orders.fifo")));
        StoreChange.PutMessage put = put("q-1", "m-1", 1);
        StoredDeduplication dedup = new StoredDeduplication("q-1", "dedup-1", "m-1", 1, 300_000);

        commit(put, new StoreChange.PutDeduplication(dedup));
        commit(new StoreChange.DeleteMessages("q-1", List.of("m-1")));

        StoreSnapshot snapshot = store.load();
        assertThat(snapshot.messages()).isEmpty();
        assertThat(snapshot.deduplications())
                .as("kept after the message is deleted")
                .containsExactly(dedup);
    }

    @Test
    void putMoveTaskStoresAndReplacesTheTask() {
        StoredMoveTask started = moveTask("task-1", "RUNNING", 0);
        StoredMoveTask withDestination = new StoredMoveTask(
                "task-2",
                "000000000000/dlq",
                "000000000000/retry",
                "arn:aws:sqs:us-east-1:000000000000:dlq",
                "arn:aws:sqs:us-east-1:000000000000:retry",
                500,
                "FAILED",
                3,
                7,
                "AWS.SimpleQueueService.NonExistentQueue",
                2_000L);
        commit(new StoreChange.PutMoveTask(started), new StoreChange.PutMoveTask(withDestination));
        assertThat(store.load().moveTasks()).containsExactlyInAnyOrder(started, withDestination);

        StoredMoveTask progressed = moveTask("task-1", "COMPLETED", 25);
        commit(new StoreChange.PutMoveTask(moveTask("task-1", "RUNNING", 10)));
        commit(new StoreChange.PutMoveTask(progressed));

        assertThat(store.load().moveTasks()).containsExactlyInAnyOrder(progressed, withDestination);
    }
}
