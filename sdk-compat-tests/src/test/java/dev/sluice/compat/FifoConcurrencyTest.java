package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many consumers on one FIFO queue with several message groups, through SDK v2 (JSON). The promise checked (SQS
 * developer guide, "FIFO queue logic"): while a consumer holds messages of a group, no other consumer receives
 * anything of that group; each group is delivered in send order; and with every message deleted after processing,
 * every message is received exactly once.
 *
 * <p>"Holding" runs from the receive reply to just before the delete of the consumer's last message of that group
 * from that reply: until the delete, the server itself still counts the message in flight, so releasing first can
 * never hide a real overlap, while releasing after the delete could report a false one.
 */
@ExtendWith(SluiceServer.class)
class FifoConcurrencyTest {
    private static final int GROUPS = 5;
    private static final int PER_GROUP = 40;
    private static final int CONSUMERS = 8;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void consumersNeverShareAGroupAndSeeEveryGroupInOrderExactlyOnce(URI endpoint) throws Exception {
        List<SdkV2Port> ports = replicas(endpoint).stream().map(SdkV2Port::new).toList();
        try {
            var sqs = ports.get(0);
            String name = "compat-json-concurrent-" + Long.toHexString(System.nanoTime()) + ".fifo";
            String url = sqs.createQueue(name, Map.of("FifoQueue", "true", "VisibilityTimeout", "60"), Map.of());
            List<String> urls =
                    ports.stream().map(port -> port.getQueueUrl(name)).toList();
            // Interleaved sends: batches of 10 that mix the groups, each group's messages in index order.
            List<SendBatchEntry> batch = new ArrayList<>();
            for (int i = 0; i < PER_GROUP; i++) {
                for (int g = 0; g < GROUPS; g++) {
                    String body = g + ":" + i;
                    batch.add(new SendBatchEntry(
                            "g" + g + "_" + i, OutgoingMessage.fifo(body, "group-" + g, "dedup-" + g + "-" + i)));
                    if (batch.size() == 10) {
                        // Through every replica: the later copies are duplicates, dropped by their deduplication ids.
                        for (int r = 0; r < ports.size(); r++) {
                            assertThat(ports.get(r)
                                            .sendMessageBatch(urls.get(r), batch)
                                            .failed())
                                    .isEmpty();
                        }
                        batch.clear();
                    }
                }
            }
            assertThat(batch).isEmpty();

            int total = GROUPS * PER_GROUP;
            Map<Integer, AtomicReference<String>> holder = new ConcurrentHashMap<>();
            Map<Integer, AtomicInteger> nextIndex = new ConcurrentHashMap<>();
            IntStream.range(0, GROUPS).forEach(g -> {
                holder.put(g, new AtomicReference<>());
                nextIndex.put(g, new AtomicInteger());
            });
            Set<String> seenIds = ConcurrentHashMap.newKeySet();
            Set<String> busyConsumers = ConcurrentHashMap.newKeySet();
            AtomicInteger processed = new AtomicInteger();
            AtomicInteger maxMessagesPerReply = new AtomicInteger();
            var violations = new ConcurrentLinkedQueue<String>();
            var start = new CountDownLatch(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);

            ExecutorService pool = Executors.newFixedThreadPool(CONSUMERS);
            List<Future<?>> consumers = new ArrayList<>();
            for (int c = 0; c < CONSUMERS; c++) {
                String me = "consumer-" + c;
                var port = ports.get(c % ports.size());
                String portUrl = urls.get(c % ports.size());
                consumers.add(pool.submit(() -> {
                    start.await();
                    Map<Integer, Integer> lastSeenByMe = new HashMap<>();
                    while (processed.get() < total && System.nanoTime() < deadline && violations.isEmpty()) {
                        int max = 1 + ThreadLocalRandom.current().nextInt(10);
                        var messages = port.receiveMessage(
                                portUrl,
                                ReceiveRequest.upTo(max)
                                        .waitTimeSeconds(1)
                                        .attributeNames("MessageGroupId", "ApproximateReceiveCount"));
                        maxMessagesPerReply.accumulateAndGet(messages.size(), Math::max);
                        if (!messages.isEmpty()) {
                            busyConsumers.add(me);
                        }
                        Map<Integer, Integer> lastPosition = new HashMap<>();
                        for (int k = 0; k < messages.size(); k++) {
                            int group = groupOf(messages.get(k));
                            lastPosition.put(group, k);
                        }
                        for (int group : lastPosition.keySet()) {
                            String other = holder.get(group).compareAndExchange(null, me);
                            if (other != null) {
                                violations.add("%s received group %d while %s held it".formatted(me, group, other));
                            }
                        }
                        for (int k = 0; k < messages.size(); k++) {
                            var message = messages.get(k);
                            int group = groupOf(message);
                            int index = indexOf(message);
                            if (!seenIds.add(message.messageId())) {
                                violations.add("%s received %s again".formatted(me, message.body()));
                            }
                            if (!message.attributes()
                                    .get("ApproximateReceiveCount")
                                    .equals("1")) {
                                violations.add("%s was delivered more than once".formatted(message.body()));
                            }
                            int expected = nextIndex.get(group).getAndIncrement();
                            if (index != expected) {
                                violations.add(
                                        "group %d: %s got index %d, expected %d".formatted(group, me, index, expected));
                            }
                            Integer before = lastSeenByMe.put(group, index);
                            if (before != null && before >= index) {
                                violations.add("%s saw group %d index %d after %d".formatted(me, group, index, before));
                            }
                            if (lastPosition.get(group) == k) {
                                holder.get(group).compareAndSet(me, null);
                            }
                            port.deleteMessage(portUrl, message.receiptHandle());
                            processed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (var consumer : consumers) {
                consumer.get(100, TimeUnit.SECONDS);
            }
            pool.shutdown();

            assertThat(violations).isEmpty();
            // The test means something only if the groups really were spread over consumers.
            assertThat(busyConsumers).hasSizeGreaterThan(GROUPS / 2);
            assertThat(maxMessagesPerReply.get()).isGreaterThan(1);
            assertThat(processed.get()).isEqualTo(total);
            assertThat(seenIds).hasSize(total);
            IntStream.range(0, GROUPS)
                    .forEach(g ->
                            assertThat(nextIndex.get(g).get()).as("group %d", g).isEqualTo(PER_GROUP));
            assertThat(sqs.receiveMessage(url, ReceiveRequest.upTo(10))).isEmpty();
            assertThat(sqs.getQueueAttributes(url, SqsSuiteSupport.COUNTS))
                    .containsEntry("ApproximateNumberOfMessages", "0")
                    .containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
        } finally {
            for (SdkV2Port port : ports) {
                port.close();
            }
        }
    }

    /** The endpoints the consumers spread over (and every batch is sent through): here the one server. */
    protected List<URI> replicas(URI endpoint) {
        return List.of(endpoint);
    }

    private static int groupOf(ReceivedMessage message) {
        String group = message.attributes().get("MessageGroupId");
        int fromBody =
                Integer.parseInt(message.body().substring(0, message.body().indexOf(':')));
        assertThat(group).isEqualTo("group-" + fromBody);
        return fromBody;
    }

    private static int indexOf(ReceivedMessage message) {
        return Integer.parseInt(message.body().substring(message.body().indexOf(':') + 1));
    }
}
