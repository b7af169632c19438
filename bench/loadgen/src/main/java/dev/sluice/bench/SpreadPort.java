package dev.sluice.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Replicas of one server (Sluice on one PostgreSQL) as one port: each call goes to the next replica in turn, so the
 * load is spread evenly whatever the scenario. A queue URL names the replica that created the queue; it is rewritten
 * to the replica a call goes to (the query protocol sends the request to the queue URL itself).
 */
final class SpreadPort implements SqsPort {
    private final List<String> endpoints;
    private final List<SqsPort> replicas;
    private final AtomicInteger next = new AtomicInteger();

    SpreadPort(List<String> endpoints, List<SqsPort> replicas) {
        this.endpoints = endpoints;
        this.replicas = replicas;
    }

    @Override
    public String createQueue(String name, Map<String, String> attributes) {
        return replicas.get(0).createQueue(name, attributes);
    }

    @Override
    public String send(String queueUrl, Entry entry) {
        int i = pick();
        return replicas.get(i).send(on(i, queueUrl), entry);
    }

    @Override
    public List<String> sendBatch(String queueUrl, List<Entry> entries) {
        int i = pick();
        return replicas.get(i).sendBatch(on(i, queueUrl), entries);
    }

    @Override
    public List<Received> receive(String queueUrl, int maxNumberOfMessages, int waitTimeSeconds) {
        int i = pick();
        return replicas.get(i).receive(on(i, queueUrl), maxNumberOfMessages, waitTimeSeconds);
    }

    @Override
    public int deleteBatch(String queueUrl, List<String> receiptHandles) {
        int i = pick();
        return replicas.get(i).deleteBatch(on(i, queueUrl), receiptHandles);
    }

    @Override
    public long approximateCount(String queueUrl) {
        return replicas.get(0).approximateCount(on(0, queueUrl));
    }

    @Override
    public void deleteQueue(String queueUrl) {
        replicas.get(0).deleteQueue(on(0, queueUrl));
    }

    @Override
    public void close() {
        replicas.forEach(SqsPort::close);
    }

    private int pick() {
        return Math.floorMod(next.getAndIncrement(), replicas.size());
    }

    /** The queue URL as replica {@code i} serves it. */
    private String on(int i, String queueUrl) {
        for (String endpoint : endpoints) {
            if (queueUrl.startsWith(endpoint)) {
                return endpoints.get(i) + queueUrl.substring(endpoint.length());
            }
        }
        return queueUrl;
    }
}
