package dev.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Issue 16, item 1, unauthenticated heap exhaustion: many connections that declare 8 MiB bodies and send two bytes
 * hold a few KiB each, not 8 MiB, and the server goes on answering; past the ceiling on the memory bodies being
 * received may hold, a request gets 503 ServiceUnavailable and the memory comes back when its holders leave.
 */
class HttpExhaustionTest {
    private static final int SLOW_SOCKETS = 200;
    private static final long CEILING = 8L * 1024 * 1024;
    private static final long FIRST_BUFFER = 16 * 1024;

    private static Target server;
    private static String queueUrl;

    @BeforeAll
    static void start() {
        server = Target.start(
                HttpExhaustionTest.class,
                List.of(
                        "-Dsluice.durability=memory",
                        "-Dsluice.http.body-memory=" + CEILING,
                        "-Dsluice.request-log=false"));
        try (SqsClient sqs = Clients.v2(server.endpoint(), Duration.ofSeconds(10))) {
            queueUrl = sqs.createQueue(b -> b.queueName("attacked")).queueUrl();
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static RawHttp declareEightMiB(String firstBytes) {
        return RawHttp.connect(server.endpoint())
                .write("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n"
                        + "X-Amz-Target: AmazonSQS.SendMessage\r\nContent-Length: 8388608\r\n\r\n" + firstBytes);
    }

    @Test
    void slowSocketsDeclaringEightMiBHoldSixteenKiBEachAndASendStillAnswersWithinASecond() {
        long oldGenBefore = server.oldGenBytes();
        List<RawHttp> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < SLOW_SOCKETS; i++) {
                sockets.add(declareEightMiB("{\""));
            }
            long expected = SLOW_SOCKETS * FIRST_BUFFER;
            assertThat(Target.await(Duration.ofSeconds(10), () -> server.bodyBytes() == expected))
                    .as("every slow body holds its first 16 KiB buffer (before the fix: 8 MiB each, 1.6 GB in all)")
                    .isTrue();
            long oldGenGrowth = server.oldGenBytes() - oldGenBefore;
            assertThat(oldGenGrowth)
                    .as("old generation growth with %d sockets declaring 8 MiB", SLOW_SOCKETS)
                    .isLessThan(64L * 1024 * 1024);

            try (SqsClient sqs = Clients.v2(server.endpoint(), Duration.ofSeconds(1))) {
                assertThat(sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("still served"))
                                .messageId())
                        .isNotBlank();
            }
        } finally {
            sockets.forEach(RawHttp::close);
        }
        assertThat(Target.await(Duration.ofSeconds(10), () -> server.bodyBytes() == 0))
                .as("the memory of bodies whose clients left is given back")
                .isTrue();
    }

    @Test
    void aBodyPastTheMemoryCeilingGets503AndTheMemoryComesBackWhenItsHolderLeaves() {
        try (RawHttp holder = declareEightMiB("")) {
            holder.write(new byte[6 * 1024 * 1024]);
            assertThat(Target.await(Duration.ofSeconds(10), () -> server.bodyBytes() == CEILING))
                    .as("six MiB received: the buffer doubled to the 8 MiB ceiling")
                    .isTrue();

            try (RawHttp refused = declareEightMiB("{\"QueueUrl\":\"" + queueUrl + "\"")) {
                String reply = refused.read(Duration.ofSeconds(10));

                assertThat(reply)
                        .startsWith("HTTP/1.1 503")
                        .contains("com.amazonaws.sqs#ServiceUnavailable")
                        .contains("x-amzn-query-error: ServiceUnavailable;Receiver");
            }
            assertThat(server.bodyBytes()).isEqualTo(CEILING);
        }
        assertThat(Target.await(Duration.ofSeconds(10), () -> server.bodyBytes() == 0))
                .isTrue();
        try (SqsClient sqs = Clients.v2(server.endpoint(), Duration.ofSeconds(5))) {
            assertThat(sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("served again"))
                            .messageId())
                    .isNotBlank();
        }
    }
}
