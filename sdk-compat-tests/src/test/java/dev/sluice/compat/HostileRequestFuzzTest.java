package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.compat.FuzzCase.Protocol;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.w3c.dom.Document;

/**
 * Fuzzing of the packaged server over HTTP, both protocols, every action (issue 11, item 18). For any request the
 * generator draws ({@link HostileRequests}), from valid to hostile:
 *
 * <ol>
 *   <li>the server answers, and never with a 5xx;
 *   <li>a refusal has an AWS error shape: query {@code <ErrorResponse><Error><Code>} (or its JSON rendering when the
 *       request asked for JSON, or {@code <UnknownOperationException/>}), JSON 1.0 {@code __type} plus the
 *       {@code x-amzn-query-error} header;
 *   <li>a refused request changed nothing: the queues, their attributes, tags and message counts are as before.
 * </ol>
 *
 * <p>Each case is one dynamic test drawn from a seed of its own, which a run seed hands out in order; the CI run uses
 * fixed run seeds (about a minute). A failure names its case seed and the exact request, writes the request's bytes
 * and a curl command under {@code target/fuzz-failures/}, and tries simpler cases (a member left out, a value cut
 * short) to show the smallest request that still fails. The longer run with a fresh seed is tagged {@code long-fuzz}
 * and left out of the default build; sdk-compat-tests/README.md says how to run it and how to replay a case.
 */
class HostileRequestFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STANDARD = "fuzz-std";
    private static final String FIFO = "fuzz.fifo";

    /** The CI run: fixed seeds, so every build sends the same requests. */
    private static final long QUERY_SEED = 20261211L;

    private static final long JSON_SEED = 20261212L;
    private static final int CI_CASES = 250;

    /** Failures of one run that are shrunk, and how far: a broken server must not make the run take hours. */
    private static final int SHRUNK_FAILURES = 3;

    private static final int SHRINK_TRIES = 150;
    private static final Duration SHRINK_TIME = Duration.ofSeconds(60);

    private static SluiceProcess server;
    private static URI endpoint;
    private static SqsPort sqs;
    private static HttpClient http;
    private static HostileRequests requests;

    /** The fingerprint of the store as the last reset left it, while a case has not changed it; null: reset first. */
    private static Map<String, String> storeAsReset;

    /** A case's identity: its protocol and seed, written {@code json:5f3a…} (the seed in hex) for -Dfuzz.replay. */
    record CaseId(Protocol protocol, long seed) {
        static CaseId parse(String token) {
            String[] parts = token.strip().split(":", 2);
            return new CaseId(Protocol.valueOf(parts[0].toUpperCase()), Long.parseUnsignedLong(parts[1], 16));
        }

        @Override
        public String toString() {
            return protocol.label() + ":" + Long.toHexString(seed);
        }
    }

    @BeforeAll
    static void start() {
        Optional<URI> external = SluiceServer.externalEndpoint();
        if (external.isPresent()) {
            endpoint = external.get();
        } else {
            server = SluiceProcess.start(
                    SluiceServer.jar(),
                    SluiceServer.newDataDir("fuzz"),
                    SluiceProcess.freePort(),
                    SluiceServer.logFile("HostileRequestFuzzTest"),
                    // Nothing here is about durability; without an fsync per write the minute buys more cases.
                    List.of("-Dsluice.durability=memory"));
            endpoint = server.endpoint();
        }
        sqs = new SdkV2Port(endpoint);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = base();
        requests =
                new HostileRequests(base, List.of(base + "/000000000000/" + STANDARD, base + "/000000000000/" + FIFO));
    }

    @AfterAll
    static void stop() {
        if (sqs != null) {
            sqs.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> queryProtocolRequestsAreAnsweredOrRefusedCleanly() {
        return run(QUERY_SEED, CI_CASES, random -> Protocol.QUERY);
    }

    @TestFactory
    Stream<DynamicTest> jsonProtocolRequestsAreAnsweredOrRefusedCleanly() {
        return run(JSON_SEED, CI_CASES, random -> Protocol.JSON);
    }

    /**
     * The long run for humans: both protocols mixed, {@code -Dfuzz.cases} cases (default 5000) from
     * {@code -Dfuzz.seed} (default a fresh seed, printed first so that a run can be repeated).
     */
    @TestFactory
    @Tag("long-fuzz")
    Stream<DynamicTest> anyRequestIsAnsweredOrRefusedCleanly() {
        long seed = Long.getLong("fuzz.seed", new SecureRandom().nextLong());
        int cases = Integer.getInteger("fuzz.cases", 5000);
        System.out.printf("HostileRequestFuzzTest long run: -Dfuzz.seed=%d -Dfuzz.cases=%d%n", seed, cases);
        return run(seed, cases, random -> random.nextBoolean() ? Protocol.QUERY : Protocol.JSON);
    }

    /** The cases named by {@code -Dfuzz.replay=json:5f3a…,query:…}, as a failure prints them. */
    @TestFactory
    @EnabledIfSystemProperty(named = "fuzz.replay", matches = ".+")
    Stream<DynamicTest> replay() {
        AtomicInteger shrinks = new AtomicInteger(SHRUNK_FAILURES);
        return Arrays.stream(System.getProperty("fuzz.replay").split(","))
                .map(CaseId::parse)
                .map(id -> test(id, "replayed", shrinks));
    }

    /** {@code cases} cases, whose protocols and seeds the run seed hands out in order. */
    private Stream<DynamicTest> run(long runSeed, int cases, Function<SplittableRandom, Protocol> protocol) {
        SplittableRandom run = new SplittableRandom(runSeed);
        List<CaseId> ids = IntStream.range(0, cases)
                .mapToObj(i -> new CaseId(protocol.apply(run), run.nextLong()))
                .toList();
        AtomicInteger shrinks = new AtomicInteger(SHRUNK_FAILURES);
        return IntStream.range(0, cases)
                .mapToObj(i -> test(ids.get(i), "case " + i + " of run seed " + runSeed, shrinks));
    }

    private DynamicTest test(CaseId id, String origin, AtomicInteger shrinks) {
        return DynamicTest.dynamicTest(origin + " (" + id + ")", () -> {
            FuzzCase drawn = requests.draw(id.protocol(), id.seed());
            Optional<Throwable> failure = failure(drawn);
            if (failure.isPresent()) {
                throw new AssertionError(
                        report(id, origin, drawn, failure.get(), shrinks.getAndDecrement() > 0), failure.get());
            }
        });
    }

    /**
     * How the case fails, after the queues are put back as every case expects them; empty: it passes. The queues need
     * putting back only after a case that changed them: after a refusal the check has just seen them unchanged.
     */
    private static Optional<Throwable> failure(FuzzCase fuzzCase) {
        try {
            if (storeAsReset == null) {
                resetQueues();
                storeAsReset = fingerprint();
            }
            Map<String, String> before = storeAsReset;
            storeAsReset = null;
            storeAsReset = check(HostileEncoding.encode(fuzzCase), before);
            return Optional.empty();
        } catch (AssertionError | RuntimeException e) {
            return Optional.of(e);
        }
    }

    /**
     * Puts the two queues back as the cases expect them after whatever the last one did: present, with no long poll or
     * delay by default (a receive must not wait 20 seconds), and with messages to receive.
     */
    private static void resetQueues() {
        String standard = sqs.createQueue(STANDARD, Map.of(), Map.of());
        String fifo = sqs.createQueue(FIFO, Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true"), Map.of());
        sqs.setQueueAttributes(fifo, Map.of("ContentBasedDeduplication", "true"));
        for (String url : List.of(standard, fifo)) {
            sqs.setQueueAttributes(
                    url,
                    Map.of(
                            "ReceiveMessageWaitTimeSeconds", "0",
                            "DelaySeconds", "0",
                            "MessageRetentionPeriod", "345600",
                            "MaximumMessageSize", "1048576",
                            "RedrivePolicy", ""));
            if (Integer.parseInt(sqs.getQueueAttributes(url, List.of("ApproximateNumberOfMessages"))
                            .get("ApproximateNumberOfMessages"))
                    < 3) {
                for (int i = 0; i < 3; i++) {
                    sqs.sendMessage(
                            url, OutgoingMessage.of("m" + System.nanoTime()).withMessageGroupId("g" + i));
                }
            }
        }
    }

    /**
     * Sends the request and checks the three properties; returns the store's fingerprint when the request was refused
     * (and so changed nothing), else null.
     */
    private static Map<String, String> check(HostileRequest request, Map<String, String> before) {
        HttpResponse<byte[]> reply = send(request);

        assertThat(reply.statusCode()).as("status of the reply").isBetween(200, 499);
        if (reply.statusCode() < 400) {
            return null;
        }
        assertAwsError(request, reply);
        Map<String, String> after = fingerprint();
        assertThat(after).as("the store after the refusal").isEqualTo(before);
        return after;
    }

    private static HttpResponse<byte[]> send(HostileRequest request) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(base() + request.target())).timeout(Duration.ofSeconds(30));
        request.headers().forEach((name, value) -> {
            if (!value.isEmpty()) {
                builder.header(name, value);
            }
        });
        builder.method(
                request.method(),
                request.method().equals("GET")
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError("no answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The error in the shape the request's protocol has (the server picks JSON 1.0 by X-Amz-Target, as SQS does). */
    private static void assertAwsError(HostileRequest request, HttpResponse<byte[]> reply) {
        String body = new String(reply.body(), StandardCharsets.UTF_8);
        String contentType = reply.headers().firstValue("content-type").orElse("");
        String shown = "reply " + reply.statusCode() + " " + contentType + " " + body;
        if (request.json()) {
            assertThat(contentType).as(shown).startsWith("application/x-amz-json-1.0");
            JsonNode error = readJson(body, shown);
            assertThat(error.path("__type").asText()).as(shown).startsWith("com.amazonaws.sqs#");
            assertThat(reply.headers().firstValue("x-amzn-query-error"))
                    .as(shown)
                    .hasValueSatisfying(value -> assertThat(value).matches("[A-Za-z.]+;(Sender|Receiver)"));
        } else if (body.equals("<UnknownOperationException/>")) {
            assertThat(reply.statusCode()).as(shown).isEqualTo(404);
        } else if (contentType.startsWith("application/json")) {
            JsonNode error = readJson(body, shown);
            assertThat(error.path("Error").path("Code").asText()).as(shown).isNotEmpty();
        } else {
            assertThat(contentType).as(shown).startsWith("text/xml");
            assertThat(xpath(
                            body,
                            "/*[local-name()='ErrorResponse']/*[local-name()='Error']/*[local-name()='Code']",
                            shown))
                    .as(shown)
                    .isNotEmpty();
        }
    }

    private static JsonNode readJson(String body, String shown) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + shown, e);
        }
    }

    private static String xpath(String xml, String expression, String shown) {
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            Document document =
                    factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            return XPathFactory.newInstance().newXPath().evaluate(expression, document);
        } catch (Exception e) {
            throw new AssertionError("not XML: " + shown, e);
        }
    }

    /**
     * What a refused request must not change: the queue names, and of the suite's queues their attributes, tags and
     * message total (visible + in flight + delayed: a visibility timeout running out meanwhile moves a message between
     * the first two, which is no change to the store).
     */
    private static Map<String, String> fingerprint() {
        Map<String, String> print = new TreeMap<>();
        print.put(
                "queues",
                String.valueOf(new TreeSet<>(sqs.listQueues(null, null, null).queueUrls())));
        for (String name : List.of(STANDARD, FIFO)) {
            String url;
            try {
                url = sqs.getQueueUrl(name);
            } catch (SqsError e) {
                print.put(name, "absent");
                continue;
            }
            Map<String, String> attributes = new TreeMap<>(sqs.getQueueAttributes(url, List.of("All")));
            long total = 0;
            for (String count : SqsSuiteSupport.COUNTS) {
                total += Long.parseLong(attributes.remove(count));
            }
            attributes.put("messages", String.valueOf(total));
            // Seconds: a change in the same second would hide, and the attribute values show any change anyway.
            attributes.remove("LastModifiedTimestamp");
            attributes.put("tags", String.valueOf(new TreeMap<>(sqs.listQueueTags(url))));
            print.put(name, attributes.toString());
        }
        return print;
    }

    /** The failure message: how to replay the case, what failed, the exact request, and the simplest that fails. */
    private static String report(CaseId id, String origin, FuzzCase drawn, Throwable failure, boolean shrink) {
        FailingRequests files = new FailingRequests(SluiceServer.buildDir().resolve("fuzz-failures"), base());
        HostileRequest request = HostileEncoding.encode(drawn);
        StringBuilder out = new StringBuilder()
                .append("hostile request not answered cleanly: ")
                .append(origin)
                .append(", case seed ")
                .append(id)
                .append("\n  replay: -Dtest='HostileRequestFuzzTest#replay' -Dfuzz.replay=")
                .append(id)
                .append("\n")
                .append(failure.getMessage())
                .append("\nrequest: ")
                .append(request)
                .append("\n  ")
                .append(files.write(id + "", request));
        if (!shrink) {
            return out.append("\n(not shrunk: only the first ")
                    .append(SHRUNK_FAILURES)
                    .append(" failures of a run are)")
                    .toString();
        }
        Shrunk shrunk = shrink(drawn, failure);
        if (shrunk.steps() == 0) {
            return out.append("\nno simpler case fails (")
                    .append(shrunk.tries())
                    .append(" tried)")
                    .toString();
        }
        HostileRequest simplest = HostileEncoding.encode(shrunk.fuzzCase());
        return out.append("\nshrunk in ")
                .append(shrunk.steps())
                .append(" steps (")
                .append(shrunk.tries())
                .append(" cases tried) to a request that fails so:\n")
                .append(shrunk.failure().getMessage())
                .append("\nrequest: ")
                .append(simplest)
                .append("\n  ")
                .append(files.write(id + "-shrunk", simplest))
                .toString();
    }

    private record Shrunk(FuzzCase fuzzCase, Throwable failure, int steps, int tries) {}

    /**
     * Greedy shrinking: take the first one-step-simpler case that still fails, and start again from it, until none
     * does or the budget is spent.
     */
    private static Shrunk shrink(FuzzCase failing, Throwable failure) {
        long deadline = System.nanoTime() + SHRINK_TIME.toNanos();
        FuzzCase current = failing;
        Throwable currentFailure = failure;
        int steps = 0;
        int tries = 0;
        boolean simplified = true;
        while (simplified && tries < SHRINK_TRIES && System.nanoTime() < deadline) {
            simplified = false;
            for (FuzzCase candidate : current.simpler()) {
                if (tries >= SHRINK_TRIES || System.nanoTime() >= deadline) {
                    break;
                }
                tries++;
                Optional<Throwable> candidateFailure = failure(candidate);
                if (candidateFailure.isPresent()) {
                    current = candidate;
                    currentFailure = candidateFailure.get();
                    steps++;
                    simplified = true;
                    break;
                }
            }
        }
        return new Shrunk(current, currentFailure, steps, tries);
    }

    private static String base() {
        return endpoint.toString().replaceAll("/+$", "");
    }
}
