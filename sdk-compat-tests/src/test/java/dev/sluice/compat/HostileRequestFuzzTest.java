package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.compat.HostileRequests.HostileRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeTry;
import org.w3c.dom.Document;

/**
 * Property-based fuzzing of the packaged server over HTTP, both protocols, every action (issue 11, item 18). For any
 * request the generators make ({@link HostileRequests}), from valid to hostile:
 *
 * <ol>
 *   <li>the server answers, and never with a 5xx;
 *   <li>a refusal has an AWS error shape: query {@code <ErrorResponse><Error><Code>} (or its JSON rendering when the
 *       request asked for JSON, or {@code <UnknownOperationException/>}), JSON 1.0 {@code __type} plus the
 *       {@code x-amzn-query-error} header;
 *   <li>a refused request changed nothing: the queues, their attributes, tags and message counts are as before.
 * </ol>
 *
 * <p>CI runs the two fixed-seed properties (about a minute). A longer run with a fresh seed each time is tagged
 * {@code long-fuzz} and left out of the default build; sdk-compat-tests/README.md says how to run it.
 */
class HostileRequestFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STANDARD = "fuzz-std";
    private static final String FIFO = "fuzz.fifo";

    private static SluiceProcess server;
    private static URI endpoint;
    private static SqsPort sqs;
    private static HttpClient http;
    private static HostileRequests requests;

    @BeforeContainer
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
                    // Nothing here is about durability; without an fsync per write the minute buys more tries.
                    List.of("-Dsluice.durability=memory"));
            endpoint = server.endpoint();
        }
        sqs = new SdkV2Port(endpoint);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = endpoint.toString().replaceAll("/+$", "");
        requests =
                new HostileRequests(base, List.of(base + "/000000000000/" + STANDARD, base + "/000000000000/" + FIFO));
    }

    @AfterContainer
    static void stop() {
        if (sqs != null) {
            sqs.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /**
     * Puts the two queues back as the properties expect them after whatever the last try did: present, with no long
     * poll or delay by default (a receive must not wait 20 seconds), and with messages to receive.
     */
    @BeforeTry
    void resetQueues() {
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

    @Property(seed = "20261211", tries = 250, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.BOUNDED)
    void queryProtocolRequestsAreAnsweredOrRefusedCleanly(@ForAll("queryRequests") HostileRequest request) {
        check(request);
    }

    @Property(seed = "20261212", tries = 250, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.BOUNDED)
    void jsonProtocolRequestsAreAnsweredOrRefusedCleanly(@ForAll("jsonRequests") HostileRequest request) {
        check(request);
    }

    /** The long run for humans: a fresh seed every run, as many tries as {@code -Djqwik.tries.default} says. */
    @Property(edgeCases = EdgeCasesMode.MIXIN, shrinking = ShrinkingMode.BOUNDED)
    @Tag("long-fuzz")
    void anyRequestIsAnsweredOrRefusedCleanly(@ForAll("anyRequests") HostileRequest request) {
        check(request);
    }

    @Provide
    Arbitrary<HostileRequest> queryRequests() {
        return requests.query();
    }

    @Provide
    Arbitrary<HostileRequest> jsonRequests() {
        return requests.json();
    }

    @Provide
    Arbitrary<HostileRequest> anyRequests() {
        return net.jqwik.api.Arbitraries.oneOf(requests.query(), requests.json());
    }

    private static void check(HostileRequest request) {
        Map<String, String> before = fingerprint();
        HttpResponse<byte[]> reply = send(request);

        assertThat(reply.statusCode()).as("status of %s", request).isBetween(200, 499);
        if (reply.statusCode() >= 400) {
            assertAwsError(request, reply);
            assertThat(fingerprint())
                    .as("the store after the refused %s", request)
                    .isEqualTo(before);
        }
    }

    private static HttpResponse<byte[]> send(HostileRequest request) {
        String target = endpoint.toString().replaceAll("/+$", "")
                + request.path()
                + (request.query() == null ? "" : "?" + request.query());
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(30));
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
            throw new AssertionError("no answer to " + request + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The error in the shape the request's protocol has (the server picks JSON 1.0 by X-Amz-Target, as SQS does). */
    private static void assertAwsError(HostileRequest request, HttpResponse<byte[]> reply) {
        String body = new String(reply.body(), StandardCharsets.UTF_8);
        String contentType = reply.headers().firstValue("content-type").orElse("");
        String shown = "reply " + reply.statusCode() + " " + contentType + " " + body + " to " + request;
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
                String.valueOf(
                        new java.util.TreeSet<>(sqs.listQueues(null, null, null).queueUrls())));
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
}
