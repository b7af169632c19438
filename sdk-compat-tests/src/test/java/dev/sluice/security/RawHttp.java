package dev.sluice.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** HTTP/1.1 written by hand on a socket to 127.0.0.1: what an attacker sends, byte for byte, and what comes back. */
final class RawHttp implements AutoCloseable {
    private final Socket socket;

    private RawHttp(Socket socket) {
        this.socket = socket;
    }

    static RawHttp connect(URI endpoint) {
        try {
            Socket socket = new Socket(endpoint.getHost(), endpoint.getPort());
            socket.setSoTimeout(10_000);
            return new RawHttp(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the text as ISO-8859-1 bytes (header lines end in CRLF: the caller writes them). */
    RawHttp write(String text) {
        return write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttp write(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whatever the server sends until it closes the connection or {@code wait} passes without a byte. */
    String read(Duration wait) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            socket.setSoTimeout((int) wait.toMillis());
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException stillOpen) {
            // What came so far is the answer.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Whether the server closed the connection within {@code wait} (sending nothing more). */
    boolean closedByServerWithin(Duration wait) {
        try {
            socket.setSoTimeout((int) wait.toMillis());
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that is left to do.
        }
    }
}
