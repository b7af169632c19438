package dev.sluice.server;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * A request body collected chunk by chunk into one array that grows as bytes arrive, never ahead of them: a client
 * that declares 8 MiB and sends two bytes holds a small array, not 8 MiB. A body of at most {@link #SMALL} declared
 * bytes (nearly every SendMessage) gets an array of exactly its length with its first chunk, so its bytes are copied
 * once, from the network buffer, and handed on without another copy. The array's size is taken from {@link
 * BodyMemory} as it grows and given back when the body is read or abandoned.
 */
final class RequestBody {
    /** Declared lengths up to this get their whole array at once; larger bodies start here and double. */
    static final int SMALL = 16 * 1024;

    private static final byte[] EMPTY = new byte[0];

    /** What {@link #append} did with a chunk. */
    enum Appended {
        ADDED,
        /** The body would pass the size limit; the chunk is dropped. */
        TOO_LARGE,
        /** Growing the array would pass the ceiling of {@link BodyMemory}; the chunk is dropped. */
        NO_MEMORY
    }

    private final int declaredLength;
    private final int limit;
    private final BodyMemory memory;
    private byte[] bytes = EMPTY;
    private int size;
    private boolean released;

    /** {@code declaredLength}: the Content-Length, or -1 if the body is chunked. */
    RequestBody(int declaredLength, int limit, BodyMemory memory) {
        this.declaredLength = declaredLength;
        this.limit = limit;
        this.memory = memory;
    }

    Appended append(Buffer chunk) {
        int length = chunk.length();
        if (length > limit - size) {
            return Appended.TOO_LARGE;
        }
        int needed = size + length;
        if (needed > bytes.length) {
            int capacity = capacityFor(needed);
            if (released || !memory.take(capacity - bytes.length)) {
                return Appended.NO_MEMORY;
            }
            bytes = size == 0 ? new byte[capacity] : Arrays.copyOf(bytes, capacity);
        }
        chunk.getBytes(0, length, bytes, size);
        size = needed;
        return Appended.ADDED;
    }

    private int capacityFor(int needed) {
        int ceiling = declaredLength >= 0 ? Math.min(declaredLength, limit) : limit;
        if (ceiling <= SMALL) {
            return Math.max(needed, ceiling);
        }
        return Math.max(needed, Math.min(ceiling, Math.max(SMALL, bytes.length * 2)));
    }

    /** The body read so far (the array itself when it was filled exactly); its memory is given back. */
    byte[] bytes() {
        release();
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }

    /** Gives the array's memory back; once only, whichever of the end, an error or a refusal comes first. */
    void release() {
        if (!released) {
            released = true;
            memory.give(bytes.length);
        }
    }
}
