package dev.sluice.quota;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * One account's buckets and counts. The server asks {@link #admits} from a request's headers, before its body is read;
 * it {@link #charge}s the request once its signature has verified (so a request with a forged signature, which names
 * the account's key but cannot sign for it, costs the account nothing) and {@link #chargeReply} once the reply is
 * written. Nothing here is shared between accounts.
 */
public final class AccountBuckets {
    private final String accountId;
    private final Quota quota;
    private final boolean own;
    private final TokenBucket requests;
    private final TokenBucket bytes;
    private final LongAdder admitted = new LongAdder();
    private final LongAdder charged = new LongAdder();
    private final Map<Limit, LongAdder> throttled = new EnumMap<>(Limit.class);

    AccountBuckets(String accountId, Quota quota, boolean own, long now) {
        this.accountId = accountId;
        this.quota = quota;
        this.own = own;
        this.requests = quota.requests().map(rate -> new TokenBucket(rate, now)).orElse(null);
        this.bytes = quota.bytes().map(rate -> new TokenBucket(rate, now)).orElse(null);
        for (Limit limit : Limit.values()) {
            throttled.put(limit, new LongAdder());
        }
    }

    public String accountId() {
        return accountId;
    }

    Quota quota() {
        return quota;
    }

    /** Whether the quota is the tenant's own (else the service-wide default). */
    boolean own() {
        return own;
    }

    /**
     * Null if a request of {@code declaredBytes} (its Content-Length; 0 when not declared) may go ahead now; else the
     * limit it is over, counted as throttled. Takes nothing.
     */
    public Throttle admits(long declaredBytes, long now) {
        if (requests != null && !requests.has(1, now)) {
            return throttled(
                    Limit.REQUESTS,
                    requests.waitNanos(1, now),
                    "Rate exceeded: account " + accountId + " may make "
                            + requests.rate().perSecond() + " requests per second (burst "
                            + requests.rate().burst() + ").");
        }
        if (bytes != null && !bytes.has(declaredBytes, now)) {
            return throttled(
                    Limit.BYTES,
                    bytes.waitNanos(declaredBytes, now),
                    "Rate exceeded: account " + accountId + " may move "
                            + bytes.rate().perSecond() + " bytes per second of requests and replies (burst "
                            + bytes.rate().burst() + ").");
        }
        return null;
    }

    /** Takes one request and its body's bytes: the request was admitted and its signature verified. */
    public void charge(long requestBytes, long now) {
        admitted.increment();
        if (requests != null) {
            requests.take(1, now);
        }
        if (bytes != null) {
            bytes.take(requestBytes, now);
            charged.add(requestBytes);
        }
    }

    /** Takes the bytes of a reply just written. */
    public void chargeReply(long replyBytes, long now) {
        if (bytes != null) {
            bytes.take(replyBytes, now);
            charged.add(replyBytes);
        }
    }

    Throttle throttled(Limit limit, long retryInNanos, String message) {
        throttled.get(limit).increment();
        return new Throttle(limit, message, retryInNanos);
    }

    boolean idle(long now) {
        return (requests == null || requests.isFull(now)) && (bytes == null || bytes.isFull(now));
    }

    TokenBucket requests() {
        return requests;
    }

    TokenBucket bytes() {
        return bytes;
    }

    long admitted() {
        return admitted.sum();
    }

    long chargedBytes() {
        return charged.sum();
    }

    Map<String, Long> throttledCounts() {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        throttled.forEach((limit, count) -> counts.put(limit.label(), count.sum()));
        return counts;
    }
}
