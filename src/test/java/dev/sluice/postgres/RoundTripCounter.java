package dev.sluice.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of PostgreSQL that counts round trips: how many times the client had to wait for
 * the server before it could send more. Everything the server sends is held back for a fixed delay, so whatever the
 * client writes without waiting (a pipeline) arrives as one burst; a round trip is then a burst of client bytes that
 * follows server bytes delivered since the previous burst (or the first burst counted). No timing is asserted: the
 * delay only keeps pipelined writes, which are microseconds apart, from being split by an early answer.
 */
final class RoundTripCounter implements AutoCloseable {
    private static final Duration HOLD = Duration.ofMillis(40);

    private final ServerSocket listener;
    private final int targetPort;
    private final AtomicInteger roundTrips = new AtomicInteger();
    private final AtomicBoolean answered = new AtomicBoolean(true);
    private final List<Socket> sockets = new ArrayList<>();

    RoundTripCounter(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Starts counting afresh: the next client bytes are round trip 1. */
    void reset() {
        roundTrips.set(0);
        answered.set(true);
    }

    int roundTrips() {
        return roundTrips.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                client.setTcpNoDelay(true);
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                server.setTcpNoDelay(true);
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(server);
                }
                Thread.ofVirtual().start(() -> fromClient(client, server));
                Thread.ofVirtual().start(() -> fromServer(server, client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void fromClient(Socket client, Socket server) {
        try (InputStream in = client.getInputStream();
                OutputStream out = server.getOutputStream()) {
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (answered.getAndSet(false)) {
                    roundTrips.incrementAndGet();
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the connection closed
        }
    }

    private void fromServer(Socket server, Socket client) {
        try (InputStream in = server.getInputStream();
                OutputStream out = client.getOutputStream()) {
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) {
                long due = System.nanoTime() + HOLD.toNanos();
                byte[] chunk = Arrays.copyOf(buffer, n);
                for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
                out.write(chunk);
                out.flush();
                answered.set(true);
            }
        } catch (IOException e) {
            // the connection closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        synchronized (sockets) {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
