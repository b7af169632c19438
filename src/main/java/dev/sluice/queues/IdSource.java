package dev.sluice.queues;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where message and queue ids come from; tests use a counting one so golden outputs are byte-stable.
 *
 * <p>The random ids are version-4 UUIDs drawn from {@link ThreadLocalRandom}, not {@link UUID#randomUUID()}: an id
 * only has to be unique, not unguessable (every use of one is checked against the caller's access to its queue), and
 * {@code randomUUID}'s shared {@code SecureRandom} took a lock and about 5% of a SendMessage's CPU.
 */
public interface IdSource {

    String newId();

    static IdSource random() {
        return IdSource::randomUuid;
    }

    /** A random version-4 (IETF variant) UUID in its usual 36-character form. */
    static String randomUuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low).toString();
    }
}
