package dev.sluice.postgres;

import dev.sluice.queues.QueueKey;

/**
 * A queue named in one string, {@code account/name}, as the PostgreSQL schema stores dead-letter targets and sources
 * and as the catalogue's notifications carry it. The PostgreSQL backend serves one region, {@code sluice.region}, so the
 * region is the backend's own and not part of the string.
 */
final class QueuePath {
    private QueuePath() {}

    static String of(QueueKey key) {
        return key.accountId() + '/' + key.name();
    }

    /** The queue of {@code region} that {@code path} names (queue names have no slash). */
    static QueueKey parse(String region, String path) {
        int slash = path.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not an account/name queue path: " + path);
        }
        return new QueueKey(region, path.substring(0, slash), path.substring(slash + 1));
    }
}
