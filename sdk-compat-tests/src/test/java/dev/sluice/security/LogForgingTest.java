package dev.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 10, log forging: line breaks and terminal escapes in a queue name, queue URL or action reach the
 * request log escaped, so they cannot start a line of their own; a request without a Host header is a 400 without an
 * ERROR in the log.
 */
class LogForgingTest {
    private static final String FORGED = "2030-01-01 00:00:00,000 ERROR [forged] (main) pwned";

    private static Target server;

    @BeforeAll
    static void start() {
        server = Target.start(LogForgingTest.class, List.of("-Dsluice.durability=memory"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String query(String form) {
        try (RawHttp http = RawHttp.connect(server.endpoint())) {
            return http.write("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length()
                            + "\r\n\r\n" + form)
                    .read(Duration.ofSeconds(10));
        }
    }

    @Test
    void lineBreaksAndEscapesInLoggedValuesCannotForgeALine() {
        String forged = FORGED.replace(" ", "%20");
        assertThat(query("Action=GetQueueUrl&QueueName=x%0A" + forged + "%1B%5B31m"))
                .startsWith("HTTP/1.1 400");
        assertThat(query("Action=GetQueueAttributes&QueueUrl=http://h/000000000000/q%0D%0A" + forged))
                .startsWith("HTTP/1.1 4");
        assertThat(query("Action=Forged%0A" + forged)).startsWith("HTTP/1.1 400");

        assertThat(Target.await(Duration.ofSeconds(5), () -> server.log().contains("action=Forged\\n2030")))
                .as("the request log line of the forged action, escaped")
                .isTrue();
        String log = server.log();
        assertThat(log).contains("queue=x\\n2030-01-01").contains("\\u001b[31m");
        assertThat(log).doesNotContain("\u001b");
        assertThat(Arrays.stream(log.split("\n")).filter(line -> line.startsWith("2030-01-01")))
                .as("lines the requests tried to forge")
                .isEmpty();
    }

    @Test
    void aRequestWithoutHostIsA400AndNoErrorIsLogged() {
        String reply;
        try (RawHttp http = RawHttp.connect(server.endpoint())) {
            reply = http.write("POST / HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                            + "Content-Length: 17\r\n\r\nAction=ListQueues")
                    .read(Duration.ofSeconds(10));
        }

        assertThat(reply).startsWith("HTTP/1.1 400").contains("<Code>InvalidRequest</Code>");
        assertThat(Arrays.stream(server.log().split("\n")).filter(line -> line.matches("^\\S+ \\S+ ERROR .*")))
                .isEmpty();
    }
}
