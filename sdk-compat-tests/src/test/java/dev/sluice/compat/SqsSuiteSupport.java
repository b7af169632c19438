package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What {@link SqsBehaviourSuite} and {@link FifoAndRedriveSuite} share: one server per test class (from
 * {@link SluiceServer}), the {@link SqsPort} its concrete subclass connects to it, and the helpers both suites use.
 */
@ExtendWith(SluiceServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SqsSuiteSupport {
    static final String NON_EXISTENT_QUEUE = "AWS.SimpleQueueService.NonExistentQueue";
    static final List<String> COUNTS = List.of(
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed");

    protected SqsPort sqs;

    protected abstract SqsPort newPort(URI endpoint);

    @BeforeAll
    void connect(URI endpoint) {
        sqs = newPort(endpoint);
    }

    @AfterAll
    void disconnect() {
        if (sqs != null) {
            sqs.close();
        }
    }

    /** A queue name unique to this run and protocol, within the 80-character limit. */
    protected String queueName(String stem) {
        return uniqueQueueName(sqs.protocol(), stem);
    }

    /** {@code compat-<client>-<stem>-<random>}: unique to this run, within the 80-character limit. */
    static String uniqueQueueName(String client, String stem) {
        String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        return "compat-%s-%s-%s".formatted(client, stem, suffix);
    }

    /** Nothing visible, in flight or delayed is left on the queue. */
    static void assertEmpty(SqsPort sqs, String url) {
        assertThat(sqs.getQueueAttributes(url, COUNTS))
                .as("counts of %s", url)
                .containsOnly(
                        Map.entry("ApproximateNumberOfMessages", "0"),
                        Map.entry("ApproximateNumberOfMessagesNotVisible", "0"),
                        Map.entry("ApproximateNumberOfMessagesDelayed", "0"));
    }

    /** Exactly one message from a short poll; fails if none or more than one came back. */
    protected ReceivedMessage receiveOne(String url, ReceiveRequest request) {
        var messages = sqs.receiveMessage(url, request);
        assertThat(messages).as("messages received from %s", url).hasSize(1);
        return messages.get(0);
    }

    /**
     * Receives until {@code expected} distinct messages have arrived, in arrival order (a bounded number of short
     * polls; real SQS may answer a short poll from a subset of its servers). A message id seen twice means a message
     * came back within its visibility timeout, which fails the test.
     */
    protected List<ReceivedMessage> receiveAll(String url, int expected, ReceiveRequest request) {
        var byId = new LinkedHashMap<String, ReceivedMessage>();
        for (int attempt = 0; attempt < 10 && byId.size() < expected; attempt++) {
            for (var message : sqs.receiveMessage(url, request)) {
                assertThat(byId.putIfAbsent(message.messageId(), message))
                        .as("message %s received twice", message.messageId())
                        .isNull();
            }
        }
        assertThat(byId).as("distinct messages received from %s", url).hasSize(expected);
        return List.copyOf(byId.values());
    }

    /** Short-polls every 100 ms until a message arrives or {@code timeout} has passed. */
    protected ReceivedMessage awaitMessage(String url, Duration timeout, ReceiveRequest request) {
        return poll(
                        () -> sqs.receiveMessage(url, request),
                        messages -> !messages.isEmpty(),
                        timeout,
                        100,
                        messages -> "no message arrived on %s within %s".formatted(url, timeout))
                .get(0);
    }

    /** Polls every 100 ms until the queue has {@code visible} visible messages. */
    protected void awaitCount(String url, int visible, Duration timeout) {
        poll(
                () -> sqs.getQueueAttributes(url, List.of("ApproximateNumberOfMessages"))
                        .get("ApproximateNumberOfMessages"),
                count -> count.equals(String.valueOf(visible)),
                timeout,
                100,
                count -> "%s has %s visible messages, not %d".formatted(url, count, visible));
    }

    /** Polls ListMessageMoveTasks every 200 ms until the newest task has {@code status}. */
    protected MessageMoveTask awaitTaskStatus(String sourceArn, String status, Duration timeout) {
        return poll(
                        () -> sqs.listMessageMoveTasks(sourceArn, null),
                        tasks -> !tasks.isEmpty() && tasks.get(0).status().equals(status),
                        timeout,
                        200,
                        tasks -> "no %s task on %s within %s: %s".formatted(status, sourceArn, timeout, tasks))
                .get(0);
    }

    /**
     * Reads {@code read} every {@code everyMillis} until {@code done} holds or {@code timeout} has passed (then fails
     * with {@code failure} of the last value): the one wait of the suites, for what the server does on its own time
     * (moves, timers), never for a timeout to pass.
     */
    private static <T> T poll(
            Supplier<T> read, Predicate<T> done, Duration timeout, long everyMillis, Function<T, String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T value = null;
        while (System.nanoTime() < deadline) {
            value = read.get();
            if (done.test(value)) {
                return value;
            }
            sleep(everyMillis);
        }
        throw new AssertionError(failure.apply(value));
    }

    /** The call must fail with exactly this error code and HTTP status. */
    protected static SqsError assertError(ThrowingCallable call, String code, int status) {
        SqsError error;
        try {
            call.call();
            throw new AssertionError("expected %s (HTTP %d), but the call succeeded".formatted(code, status));
        } catch (SqsError e) {
            error = e;
        } catch (AssertionError e) {
            throw e;
        } catch (Throwable other) {
            throw new AssertionError(
                    "expected %s (HTTP %d), but the client failed with %s".formatted(code, status, other), other);
        }
        assertThat(error.code() + " / HTTP " + error.status())
                .as("error reported by the SDK: %s", error.getMessage())
                .isEqualTo(code + " / HTTP " + status);
        return error;
    }

    /** Thread.sleep that turns an interrupt into a test failure (keeping the interrupt flag). */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
