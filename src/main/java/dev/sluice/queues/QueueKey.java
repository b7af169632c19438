package dev.sluice.queues;

/** A queue's identity as users name it: the owning account and the queue name. */
public record QueueKey(String accountId, String name) {

    /** The queue as {@code account/name}, the one-string form stored records use (queue names have no slash). */
    public String path() {
        return accountId + '/' + name;
    }

    /** The queue a {@link #path} names. */
    public static QueueKey parse(String path) {
        int slash = path.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not an account/name queue path: " + path);
        }
        return new QueueKey(path.substring(0, slash), path.substring(slash + 1));
    }
}
