package dev.sluice.compat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Producers and consumers on one standard queue, through several SDK clients (one per replica and protocol), that
 * remember what each client was told: which sends were acknowledged (by message id), which deletes were acknowledged
 * and when, and every error the SDK reported (code and HTTP status, or the client-side failure when no reply came).
 *
 * <p>What is checked holds under SQS's at-least-once delivery: every acknowledged send is received at least once by
 * the end ({@link #unreceived}), and no receive <em>issued after</em> a delete was acknowledged returns that message
 * again ({@link #undoneDeletes}). A delete counts only if it was acknowledged within the visibility timeout of its
 * receive's start, so its handle was certainly still the current one (a delete with an outdated handle may rightly
 * leave the message, as in SQS). Sends or deletes answered with an error promise nothing: they may or may not have
 * happened.
 */
final class ReplicaTraffic implements AutoCloseable {
    /** The queue's visibility timeout: in-flight messages of a dead replica's consumers come back after it. */
    static final int VISIBILITY_SECONDS = 10;

    /** A client of one replica in one protocol: the queue's URL as that replica names it. */
    record Client(String name, SqsPort port, String queueUrl) {}

    /** An error a client reported: the SDK's code and status, or (status 0) a client-side failure. */
    record Failure(String client, String role, String code, int status) {}

    private final List<Client> clients;
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final AtomicBoolean producing = new AtomicBoolean(true);
    private final AtomicBoolean consuming = new AtomicBoolean(true);
    private final Map<String, String> acknowledgedSends = new ConcurrentHashMap<>();
    private final Set<String> received = ConcurrentHashMap.newKeySet();
    /** Message id → System.nanoTime() when its delete was acknowledged. */
    private final Map<String, Long> acknowledgedDeletes = new ConcurrentHashMap<>();

    private final Queue<String> undoneDeletes = new ConcurrentLinkedQueue<>();
    private final Queue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicLong> sendsByClient = new ConcurrentHashMap<>();

    ReplicaTraffic(List<Client> clients) {
        this.clients = clients;
        for (Client client : clients) {
            sendsByClient.put(client.name(), new AtomicLong());
            workers.submit(() -> produce(client));
            workers.submit(() -> consume(client));
        }
    }

    private void produce(Client client) {
        for (long n = 0; producing.get(); n++) {
            String body = client.name() + "-" + n;
            try {
                if (n % 3 == 2) {
                    List<SendBatchEntry> batch = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        batch.add(new SendBatchEntry("e" + i, OutgoingMessage.of(body + "." + i)));
                    }
                    for (SentBatchEntry sent : client.port()
                            .sendMessageBatch(client.queueUrl(), batch)
                            .successful()) {
                        acknowledgedSends.put(sent.sent().messageId(), body + "." + sent.id());
                    }
                } else {
                    acknowledgedSends.put(
                            client.port()
                                    .sendMessage(client.queueUrl(), OutgoingMessage.of(body))
                                    .messageId(),
                            body);
                }
                sendsByClient.get(client.name()).incrementAndGet();
            } catch (RuntimeException e) {
                failed(client, "send", e);
            }
        }
    }

    private void consume(Client client) {
        while (consuming.get()) {
            long issued = System.nanoTime();
            List<ReceivedMessage> messages;
            try {
                messages = client.port()
                        .receiveMessage(
                                client.queueUrl(), ReceiveRequest.upTo(10).waitTimeSeconds(1));
            } catch (RuntimeException e) {
                failed(client, "receive", e);
                continue;
            }
            for (ReceivedMessage message : messages) {
                received.add(message.messageId());
                Long deleted = acknowledgedDeletes.get(message.messageId());
                if (deleted != null && deleted < issued) {
                    undoneDeletes.add(
                            client.name() + " received " + message.body() + " after its delete was" + " acknowledged");
                }
            }
            for (ReceivedMessage message : messages) {
                try {
                    client.port().deleteMessage(client.queueUrl(), message.receiptHandle());
                    long acknowledged = System.nanoTime();
                    if (acknowledged - issued < TimeUnit.SECONDS.toNanos(VISIBILITY_SECONDS - 1)) {
                        acknowledgedDeletes.putIfAbsent(message.messageId(), acknowledged);
                    }
                } catch (RuntimeException e) {
                    failed(client, "delete", e);
                }
            }
        }
    }

    private void failed(Client client, String role, RuntimeException e) {
        failures.add(
                e instanceof SqsError sqs
                        ? new Failure(client.name(), role, sqs.code(), sqs.status())
                        : new Failure(client.name(), role, e.getClass().getSimpleName(), 0));
        // A client that cannot connect fails at once: do not spin.
        pause(Duration.ofMillis(50));
    }

    /** Acknowledged sends of this client so far (a batch counts once). */
    long sends(String client) {
        return sendsByClient.get(client).get();
    }

    List<Failure> failures() {
        return List.copyOf(failures);
    }

    int acknowledgedSends() {
        return acknowledgedSends.size();
    }

    /**
     * Stops the producers, lets the consumers run until every acknowledged send was received (or {@code patience}
     * passed: in-flight messages of a dead consumer come back after the visibility timeout), then stops them.
     */
    void finish(Duration patience) {
        producing.set(false);
        long deadline = System.nanoTime() + patience.toNanos();
        while (!unreceived().isEmpty() && System.nanoTime() < deadline) {
            pause(Duration.ofMillis(200));
        }
        close();
    }

    /** The figures of the run, for the test's output. */
    String summary() {
        Map<String, Long> byError = new java.util.TreeMap<>();
        for (Failure failure : failures) {
            byError.merge(failure.code() + "/" + failure.status(), 1L, Long::sum);
        }
        return "%d sends acknowledged, %d messages received, %d deletes acknowledged in time, errors %s"
                .formatted(acknowledgedSends.size(), received.size(), acknowledgedDeletes.size(), byError);
    }

    /** Acknowledged sends never received (message id → body). */
    Map<String, String> unreceived() {
        Map<String, String> missing = new java.util.TreeMap<>(acknowledgedSends);
        missing.keySet().removeAll(received);
        return missing;
    }

    List<String> undoneDeletes() {
        return List.copyOf(undoneDeletes);
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        producing.set(false);
        consuming.set(false);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(60, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
