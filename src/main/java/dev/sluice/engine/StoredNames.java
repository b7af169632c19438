package dev.sluice.engine;

import dev.sluice.queues.QueueKey;

/**
 * How the store's records name a queue's region. The default region ({@code sluice.region}) is named by nothing: a queue
 * record without a region, a queue path {@code account/name}, exactly as Sluice wrote them before it had regions. So
 * the data of those versions opens unchanged in the default region, an older Sluice still reads the default region's
 * records, and the default region's queues move with {@code sluice.region} when it is changed (as their ARNs did
 * before). Every other region is named: {@code region/account/name}.
 */
final class StoredNames {
    private final String defaultRegion;

    StoredNames(String defaultRegion) {
        this.defaultRegion = defaultRegion;
    }

    /** The region as a queue record holds it: null for the default region. */
    String storedRegion(String region) {
        return region.equals(defaultRegion) ? null : region;
    }

    /** The region a queue record's (possibly absent) region names. */
    String region(String storedRegion) {
        return storedRegion == null ? defaultRegion : storedRegion;
    }

    /** The queue as stored records name it (move tasks). */
    String path(QueueKey key) {
        String path = key.accountId() + '/' + key.name();
        return key.region().equals(defaultRegion) ? path : key.region() + '/' + path;
    }

    /** The queue a {@link #path} names. */
    QueueKey key(String path) {
        int last = path.lastIndexOf('/');
        int first = path.indexOf('/');
        if (last < 0) {
            throw new IllegalArgumentException("not a queue path: " + path);
        }
        String region = first == last ? defaultRegion : path.substring(0, first);
        int accountStart = first == last ? 0 : first + 1;
        return new QueueKey(region, path.substring(accountStart, last), path.substring(last + 1));
    }

    /**
     * The source queue a dead-lettered message names by {@code account/name}: it is in the dead-letter queue's region,
     * as SQS requires a dead-letter queue to be in the region of its source queues.
     */
    static QueueKey deadLetterSource(String region, String path) {
        int slash = path.indexOf('/');
        return new QueueKey(region, path.substring(0, slash), path.substring(slash + 1));
    }

    /** How a dead-lettered message names its source queue: by account and name, see {@link #deadLetterSource}. */
    static String deadLetterSourcePath(QueueKey source) {
        return source.accountId() + '/' + source.name();
    }
}
