package dev.sluice.postgres;

import dev.sluice.queues.QueueKey;

/**
 * A queue named in one string, as the PostgreSQL schema stores dead-letter targets and sources and as the catalogue's
 * notifications carry it: {@code account/name} for a queue of the default region ({@code sluice.region}, whose rows
 * have no region, like every row of schema version 1), {@code region/account/name} for a queue of any other.
 */
final class QueuePath {
    private QueuePath() {}

    static String of(QueueKey key, String defaultRegion) {
        String path = key.accountId() + '/' + key.name();
        return key.region().equals(defaultRegion) ? path : key.region() + '/' + path;
    }

    /** The queue that {@code path} names; in {@code region} if the path names none (queue names have no slash). */
    static QueueKey parse(String region, String path) {
        String[] parts = path.split("/", -1);
        return switch (parts.length) {
            case 2 -> new QueueKey(region, parts[0], parts[1]);
            case 3 -> new QueueKey(parts[0], parts[1], parts[2]);
            default -> throw new IllegalArgumentException("not an [region/]account/name queue path: " + path);
        };
    }
}
