package dev.sluice.quota;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every account's and queue's buckets, made on first use from the tenant's own quota or else the service-wide default,
 * and replaced when a tenant's quota changes ({@link #changed}). Each account and each queue has buckets of its own, so
 * one tenant's traffic never waits on another's: the hot path is a map lookup and a compare-and-set on the tenant's own
 * bucket. Buckets of accounts without a quota of their own (the default applying to any 12-digit account of the open
 * auth mode) are forgotten when full once there are many, as a full bucket holds nothing a new one would not.
 */
public final class Quotas {
    /** The tenants' own quotas. */
    @FunctionalInterface
    public interface Source {
        Optional<Quota> own(String accountId);
    }

    /** A queue's FifoThroughputLimit attribute ({@code perQueue} or {@code perMessageGroupId}); null if no such queue. */
    @FunctionalInterface
    public interface FifoThroughput {
        String limit(String ownerAccountId, String region, String queueName);
    }

    private static final int FORGET_ABOVE = 10_000;

    private final Quota defaults;
    private final boolean fifoLimits;
    private final Source source;
    private final FifoThroughput fifoThroughput;
    private final Map<String, AccountBuckets> accounts = new ConcurrentHashMap<>();
    private final Map<String, Map<QueueName, QueueBuckets>> queues = new ConcurrentHashMap<>();

    /** A queue of an account, as the account's map of buckets knows it: each region's queue of a name is its own. */
    private record QueueName(String region, String name) {}
    /** Accounts whose quota names queues. */
    private final Set<String> withQueueRates = ConcurrentHashMap.newKeySet();
    /** Accounts with a quota of their own. */
    private final Set<String> withOwnQuota = ConcurrentHashMap.newKeySet();

    private final boolean noDefault;

    /**
     * @param defaults the quota of accounts without one of their own ({@link Quota#NONE}: none); its queue rates are
     *     ignored
     * @param fifoLimits whether FIFO queues without high throughput get SQS's per-action limits
     */
    public Quotas(Quota defaults, boolean fifoLimits, Source source, FifoThroughput fifoThroughput) {
        this.defaults = new Quota(defaults.requests(), defaults.bytes(), Map.of());
        this.noDefault = this.defaults.isEmpty();
        this.fifoLimits = fifoLimits;
        this.source = source;
        this.fifoThroughput = fifoThroughput;
    }

    public Quota defaults() {
        return defaults;
    }

    public boolean fifoLimits() {
        return fifoLimits;
    }

    /**
     * The account's buckets, or null when no quota applies to it (nothing to check or charge). A tenant with a quota
     * of its own has buckets even if that quota only names queues, so its requests and throttles are counted.
     */
    public AccountBuckets account(String accountId, long now) {
        AccountBuckets buckets = accounts.get(accountId);
        if (buckets != null) {
            return buckets;
        }
        if (noDefault && !withOwnQuota.contains(accountId)) {
            return null;
        }
        Optional<Quota> own = source.own(accountId);
        Quota quota = own.orElse(defaults);
        if (own.isEmpty() && quota.requests().isEmpty() && quota.bytes().isEmpty()) {
            return null;
        }
        if (own.isEmpty() && accounts.size() >= FORGET_ABOVE) {
            accounts.values().removeIf(other -> !other.own() && other.idle(now));
        }
        return accounts.computeIfAbsent(accountId, id -> new AccountBuckets(id, quota, own.isPresent(), now));
    }

    /** Whether any request may meet a queue's limit: some tenant's quota names queues, or FIFO limits are on. */
    public boolean checksQueues() {
        return fifoLimits || !withQueueRates.isEmpty();
    }

    /**
     * Null if {@code action} may run on the queue now (taking a token from each of the queue's buckets that applies);
     * else the limit it is over. The caller's own account, if it has buckets, is passed to count the throttle against.
     * A queue's rate in its owner's quota names it by name: each region's queue of that name has buckets of its own.
     */
    public Throttle checkQueue(
            String ownerAccountId, String region, String name, String action, AccountBuckets caller, long now) {
        boolean fifo = fifoLimits && name.endsWith(".fifo");
        if (!fifo && !withQueueRates.contains(ownerAccountId)) {
            return null;
        }
        QueueBuckets buckets = queueBuckets(ownerAccountId, new QueueName(region, name), fifo, now);
        if (buckets == null) {
            return null;
        }
        if (buckets.requests != null && !buckets.requests.tryTake(1, now)) {
            return throttle(
                    caller,
                    Limit.QUEUE,
                    buckets.requests.waitNanos(1, now),
                    "Rate exceeded: queue " + name + " of account " + ownerAccountId + " takes "
                            + buckets.requests.rate().perSecond() + " requests per second (burst "
                            + buckets.requests.rate().burst() + ").");
        }
        QueueBuckets.FifoAction fifoAction = fifo ? QueueBuckets.FifoAction.of(action) : null;
        if (fifoAction != null
                && buckets.perQueueMode(now, () -> fifoThroughput.limit(ownerAccountId, region, name))
                && !buckets.fifo(fifoAction).tryTake(1, now)) {
            if (buckets.requests != null) {
                buckets.requests.giveBack(1);
            }
            return throttle(
                    caller,
                    Limit.FIFO,
                    buckets.fifo(fifoAction).waitNanos(1, now),
                    "Rate exceeded: FIFO queue " + name + " takes " + QueueBuckets.FIFO_RATE.perSecond() + " "
                            + fifoAction.name + " calls per second (batches included), as SQS does for a FIFO"
                            + " queue without high throughput.");
        }
        return null;
    }

    private static Throttle throttle(AccountBuckets caller, Limit limit, long retryInNanos, String message) {
        return caller != null
                ? caller.throttled(limit, retryInNanos, message)
                : new Throttle(limit, message, retryInNanos);
    }

    private QueueBuckets queueBuckets(String owner, QueueName queue, boolean fifo, long now) {
        Map<QueueName, QueueBuckets> owned = queues.get(owner);
        QueueBuckets buckets = owned == null ? null : owned.get(queue);
        if (buckets != null) {
            return buckets;
        }
        Rate rate =
                source.own(owner).map(quota -> quota.queues().get(queue.name())).orElse(null);
        if (rate == null && !fifo) {
            return null;
        }
        if (fifo && fifoThroughput.limit(owner, queue.region(), queue.name()) == null) {
            return null; // no such queue: the action reports it
        }
        Map<QueueName, QueueBuckets> map = queues.computeIfAbsent(owner, id -> new ConcurrentHashMap<>());
        if (map.size() >= FORGET_ABOVE) {
            map.values().removeIf(other -> other.idle(now));
        }
        return map.computeIfAbsent(queue, key -> new QueueBuckets(rate, fifo, now));
    }

    /**
     * The tenant's quota changed (or the tenant was created or deleted): its buckets start again, full. Every tenant
     * with a quota of its own must have been announced so (the server does it for all tenants at start).
     */
    public void changed(String accountId) {
        Optional<Quota> own = source.own(accountId);
        if (own.isPresent()) {
            withOwnQuota.add(accountId);
        } else {
            withOwnQuota.remove(accountId);
        }
        if (own.map(quota -> !quota.queues().isEmpty()).orElse(false)) {
            withQueueRates.add(accountId);
        } else {
            withQueueRates.remove(accountId);
        }
        accounts.remove(accountId);
        queues.remove(accountId);
    }

    /** What the account's quota is and how much of it is in use, for the admin API. */
    public Usage usage(String accountId, long now) {
        Optional<Quota> own = source.own(accountId);
        Quota quota = own.orElse(defaults);
        String from = own.isPresent() ? "tenant" : quota.isEmpty() ? "none" : "default";
        AccountBuckets buckets = accounts.get(accountId);
        Map<String, Bucket> queueUse = new LinkedHashMap<>();
        Map<QueueName, QueueBuckets> owned = queues.getOrDefault(accountId, Map.of());
        own.ifPresent(q -> q.queues().forEach((name, rate) -> {
            // The queues of that name in several regions: the bucket closest to throttling.
            TokenBucket fullest = owned.entrySet().stream()
                    .filter(entry -> entry.getKey().name().equals(name) && entry.getValue().requests != null)
                    .map(entry -> entry.getValue().requests)
                    .min(java.util.Comparator.comparingLong(bucket -> bucket.available(now)))
                    .orElse(null);
            queueUse.put(name, Bucket.of(rate, fullest, now));
        }));
        return new Usage(
                accountId,
                from,
                quota.requests().map(rate -> Bucket.of(rate, buckets == null ? null : buckets.requests(), now)),
                quota.bytes().map(rate -> Bucket.of(rate, buckets == null ? null : buckets.bytes(), now)),
                queueUse,
                buckets == null ? 0 : buckets.admitted(),
                buckets == null ? 0 : buckets.chargedBytes(),
                buckets == null ? zeroCounts() : buckets.throttledCounts());
    }

    private static Map<String, Long> zeroCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Limit limit : Limit.values()) {
            counts.put(limit.label(), 0L);
        }
        return counts;
    }

    /** A bucket as the admin API shows it: its rate, burst and the tokens in it now (below zero while in debt). */
    public record Bucket(long perSecond, long burst, long available) {
        static Bucket of(Rate rate, TokenBucket bucket, long now) {
            return new Bucket(rate.perSecond(), rate.burst(), bucket == null ? rate.burst() : bucket.available(now));
        }
    }

    /**
     * An account's quota in use: where it comes from ({@code tenant}, {@code default} or {@code none}), its buckets,
     * the requests admitted and bytes charged since its buckets were made, and its throttled requests by limit.
     */
    public record Usage(
            String accountId,
            String source,
            Optional<Bucket> requests,
            Optional<Bucket> bytes,
            Map<String, Bucket> queues,
            long admittedRequests,
            long chargedBytes,
            Map<String, Long> throttled) {}
}
