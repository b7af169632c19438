package dev.sluice.server;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * A request body collected chunk by chunk into one array: of the declared Content-Length when there is one (so the
 * bytes are copied once, from the network buffer), growing up to a limit when the body is chunked.
 */
final class RequestBody {
    private static final byte[] EMPTY = new byte[0];

    private final int limit;
    private byte[] bytes;
    private int size;

    /** {@code declaredLength}: the Content-Length, or -1 if the body is chunked. */
    RequestBody(int declaredLength, int limit) {
        this.limit = limit;
        this.bytes = declaredLength > 0 ? new byte[declaredLength] : EMPTY;
    }

    /** Adds a chunk; false if the body would pass the limit (the chunk is then dropped). */
    boolean append(Buffer chunk) {
        int length = chunk.length();
        if (length > limit - size) {
            return false;
        }
        if (size + length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(limit, Math.max(size + length, Math.max(1024, bytes.length * 2))));
        }
        chunk.getBytes(0, length, bytes, size);
        size += length;
        return true;
    }

    /** The body read so far: the array itself when it was filled exactly. */
    byte[] bytes() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }
}
