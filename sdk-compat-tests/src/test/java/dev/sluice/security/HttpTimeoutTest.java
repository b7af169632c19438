package dev.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 1, stalled bodies: a body that trickles in slower than {@code sluice.http.body-timeout} is answered
 * 408 and its connection closed; a connection that sends nothing at all is closed by {@code
 * quarkus.http.idle-timeout}. Both are 2 s here (30 s and 75 s by default), so the test takes seconds.
 */
class HttpTimeoutTest {
    private static Target server;

    @BeforeAll
    static void start() {
        server = Target.start(
                HttpTimeoutTest.class,
                List.of(
                        "-Dsluice.durability=memory",
                        "-Dsluice.http.body-timeout=2s",
                        "-Dquarkus.http.idle-timeout=2s",
                        "-Dsluice.request-log=false"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static RawHttp declare(int length) {
        return RawHttp.connect(server.endpoint())
                .write("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: " + length + "\r\n\r\n");
    }

    @Test
    void aBodyTricklingInSlowerThanTheBodyTimeoutIsAnswered408AndClosed() throws InterruptedException {
        try (RawHttp slow = declare(1000)) {
            String reply = "";
            // One byte every 300 ms keeps the connection from being idle; the body would take 5 minutes.
            for (int i = 0; i < 40 && reply.isEmpty(); i++) {
                slow.write("A");
                Thread.sleep(300);
                reply = slow.read(Duration.ofMillis(10));
            }

            assertThat(reply).startsWith("HTTP/1.1 408").contains("<Code>RequestTimeout</Code>");
            assertThat(slow.closedByServerWithin(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(Target.await(Duration.ofSeconds(5), () -> server.bodyBytes() == 0))
                .isTrue();
    }

    @Test
    void aConnectionThatStallsIsClosedByTheIdleTimeout() {
        try (RawHttp stalled = declare(8_388_608).write("Action=")) {
            assertThat(stalled.closedByServerWithin(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(Target.await(Duration.ofSeconds(5), () -> server.bodyBytes() == 0))
                .isTrue();
    }
}
