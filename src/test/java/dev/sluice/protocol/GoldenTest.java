package dev.sluice.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.api.Caller;
import dev.sluice.api.SqsApi;
import dev.sluice.engine.QueueEngine;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.queues.testkit.CountingIds;
import dev.sluice.queues.testkit.FakeClock;
import dev.sluice.store.memory.InMemoryStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xmlunit.XMLUnitException;
import org.xmlunit.builder.DiffBuilder;
import org.xmlunit.builder.Input;
import org.xmlunit.diff.Comparison;
import org.xmlunit.diff.ComparisonResult;
import org.xmlunit.diff.ComparisonType;
import org.xmlunit.diff.DefaultNodeMatcher;
import org.xmlunit.diff.Diff;
import org.xmlunit.diff.DifferenceEvaluators;
import org.xmlunit.diff.ElementSelector;
import org.xmlunit.diff.ElementSelectors;

/**
 * Runs the protocol golden cases in {@code src/test/resources/golden/{query,json}}: each file is one scenario, its
 * steps sent in order to a fresh server built without Quarkus (in-memory store, {@link FakeClock}, {@link
 * CountingIds}), each reply checked against what the step expects. See {@code golden/README.md} for the format.
 *
 * <p>The expectations are what Amazon SQS answers (API reference, the SQS model, observed replies), not what this
 * server happens to print; where they disagree the case fails. So a scenario runs every step even after one fails,
 * and reports all the steps that differ at once.
 */
class GoldenTest {
    private static final String ACCOUNT_ID = "000000000000";
    private static final String BASE_URL = "http://localhost:9324";
    private static final String REGION = "us-east-1";
    private static final String NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";

    /** Matches any value (text node, JSON value or header) where the exact value is not AWS's to promise. */
    private static final String ANY = "${any}";
    /** {@code ${stepId.pointer}}: a value from an earlier step's reply, by JSON pointer or (for XML) XPath. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9_-]+)\\.([^}]+)}");

    private static final ObjectMapper MAPPER =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /**
     * Pairs repeated XML elements by their key, not their position: SQS does not promise the order of map entries
     * (queue and message attributes, tags) or of list items.
     */
    private static final ElementSelector ELEMENTS = ElementSelectors.conditionalBuilder()
            .whenElementIsNamed("Attribute")
            .thenUse(byChild("Name"))
            .whenElementIsNamed("MessageAttribute")
            .thenUse(byChild("Name"))
            .whenElementIsNamed("Tag")
            .thenUse(byChild("Key"))
            .whenElementIsNamed("QueueUrl")
            .thenUse((control, test) -> ANY.equals(control.getTextContent())
                    ? ElementSelectors.byName.canBeCompared(control, test)
                    : ElementSelectors.byNameAndText.canBeCompared(control, test))
            .whenElementIsNamed("Message")
            .thenUse(byChild("MessageId"))
            .whenElementIsNamed("SendMessageBatchResultEntry")
            .thenUse(byChild("Id"))
            .whenElementIsNamed("DeleteMessageBatchResultEntry")
            .thenUse(byChild("Id"))
            .whenElementIsNamed("ChangeMessageVisibilityBatchResultEntry")
            .thenUse(byChild("Id"))
            .whenElementIsNamed("BatchResultErrorEntry")
            .thenUse(byChild("Id"))
            .elseUse(ElementSelectors.byName)
            .build();

    record Scenario(String description, List<Step> steps) {}

    record Step(String id, String description, Long advanceSeconds, Request request, Expected expected) {}

    record Request(String method, String path, String query, Map<String, String> headers, String body) {}

    /** The body is an XML string (query protocol) or a JSON value (JSON protocol); absent means not checked. */
    record Expected(int status, Map<String, String> headers, JsonNode body) {}

    /** A reply kept so later steps can refer to its values. */
    private record Reply(HttpReply http, JsonNode json, Document xml) {}

    static Stream<Arguments> scenarios() throws IOException, URISyntaxException {
        Path root = Path.of(GoldenTest.class.getResource("/golden").toURI());
        List<Arguments> scenarios = new ArrayList<>();
        for (String protocol : List.of("query", "json")) {
            try (Stream<Path> files = Files.list(root.resolve(protocol))) {
                files.filter(file -> file.toString().endsWith(".json"))
                        .sorted()
                        .forEach(file -> scenarios.add(Arguments.of(
                                protocol + "/" + file.getFileName().toString().replaceAll("\\.json$", ""), file)));
            }
        }
        return scenarios.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void scenario(String name, Path file) throws Exception {
        Scenario scenario = MAPPER.readValue(file.toFile(), Scenario.class);
        FakeClock clock = new FakeClock();
        SqsEndpoint endpoint = new SqsEndpoint(
                new SqsApi(new QueueEngine(new InMemoryStore(), clock, clock, new CountingIds(), Strictness.LENIENT)));
        Map<String, Reply> replies = new HashMap<>();
        List<String> failures = new ArrayList<>();
        for (Step step : scenario.steps()) {
            if (step.advanceSeconds() != null) {
                clock.advanceSeconds(step.advanceSeconds());
            }
            HttpReply reply = endpoint.handle(
                            wire(step.request(), replies), caller(step.request()), "golden-" + step.id())
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)
                    .reply();
            List<String> differences = check(step.expected(), reply, replies);
            if (!differences.isEmpty()) {
                failures.add("step '" + step.id() + "' (" + step.description() + "):\n  "
                        + String.join("\n  ", differences)
                        + "\n  actual reply: " + reply.status() + " " + headers(reply) + "\n  "
                        + new String(reply.body(), StandardCharsets.UTF_8));
            }
            if (replies.put(step.id(), parse(reply)) != null) {
                throw new IllegalArgumentException(name + ": step id '" + step.id() + "' is used twice");
            }
        }
        assertThat(failures)
                .as("%s: %s", name, scenario.description())
                .withFailMessage(() -> name + " differs from AWS in " + failures.size() + " step(s):\n\n"
                        + String.join("\n\n", failures))
                .isEmpty();
    }

    // ---- requests

    private static WireRequest wire(Request request, Map<String, Reply> replies) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (request.headers() != null) {
            request.headers()
                    .forEach((name, value) ->
                            headers.put(name.toLowerCase(Locale.ROOT), substitute(value, replies, raw -> raw)));
        }
        String contentType = headers.getOrDefault("content-type", "");
        UnaryOperator<String> bodyEscape = contentType.startsWith("application/x-www-form-urlencoded")
                ? GoldenTest::formEncode
                : contentType.contains("json") ? GoldenTest::jsonEscape : raw -> raw;
        String query = request.query() == null ? null : substitute(request.query(), replies, GoldenTest::formEncode);
        String body = request.body() == null ? null : substitute(request.body(), replies, bodyEscape);
        return new WireRequest(
                request.method(), query, headers, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }

    /** As the HTTP route does it: a request posted to a queue URL's path names that queue. */
    private static Caller caller(Request request) {
        String path = request.path();
        String pathQueueUrl = path == null || path.isEmpty() || path.equals("/") ? null : BASE_URL + path;
        return new Caller(ACCOUNT_ID, BASE_URL, pathQueueUrl, REGION);
    }

    private static String substitute(String text, Map<String, Reply> replies, UnaryOperator<String> escape) {
        Matcher matcher = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = lookUp(matcher.group(1), matcher.group(2), replies);
            matcher.appendReplacement(out, Matcher.quoteReplacement(escape.apply(value)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String lookUp(String stepId, String path, Map<String, Reply> replies) {
        Reply reply = replies.get(stepId);
        if (reply == null) {
            throw new IllegalArgumentException("no earlier step '" + stepId + "' to take " + path + " from");
        }
        try {
            if (reply.json() != null) {
                JsonNode value = reply.json().at(path);
                if (!value.isMissingNode()) {
                    return value.asText();
                }
            } else if (reply.xml() != null) {
                Node value =
                        (Node) XPathFactory.newInstance().newXPath().evaluate(path, reply.xml(), XPathConstants.NODE);
                if (value != null) {
                    return value.getTextContent();
                }
            }
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot evaluate " + path + " on the reply of step '" + stepId + "'", e);
        }
        throw new IllegalArgumentException("the reply of step '" + stepId + "' has nothing at " + path);
    }

    private static Reply parse(HttpReply reply) {
        JsonNode json = null;
        Document xml = null;
        try {
            if (reply.contentType().contains("json")) {
                json = MAPPER.readTree(reply.body());
            } else if (reply.contentType().contains("xml")) {
                xml = DocumentBuilderFactory.newInstance()
                        .newDocumentBuilder()
                        .parse(new ByteArrayInputStream(reply.body()));
            }
        } catch (Exception e) {
            // Unparseable replies are reported by the check; later references to them fail with a clear message.
        }
        return new Reply(reply, json, xml);
    }

    // ---- checks

    private static List<String> check(Expected expected, HttpReply reply, Map<String, Reply> replies) {
        List<String> differences = new ArrayList<>();
        if (expected.status() != reply.status()) {
            differences.add("status: expected " + expected.status() + " but was " + reply.status());
        }
        if (expected.headers() != null) {
            Map<String, String> actual = headers(reply);
            expected.headers().forEach((name, value) -> {
                String want = substitute(value, replies, raw -> raw);
                String got = actual.get(name.toLowerCase(Locale.ROOT));
                if (got == null || !(want.equals(ANY) || want.equals(got))) {
                    differences.add("header " + name + ": expected " + want + " but was " + got);
                }
            });
        }
        JsonNode body = expected.body();
        if (body == null || body.isNull()) {
            return differences;
        }
        if (body.isTextual()) {
            differences.addAll(compareXml(substitute(body.asText(), replies, GoldenTest::xmlEscape), reply.body()));
        } else {
            JsonNode actual;
            try {
                actual = MAPPER.readTree(reply.body());
            } catch (IOException e) {
                differences.add("body is not JSON: " + e.getMessage());
                return differences;
            }
            compareJson("", substituteTree(body, replies), actual == null ? MAPPER.missingNode() : actual, differences);
        }
        return differences;
    }

    private static Map<String, String> headers(HttpReply reply) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", reply.contentType());
        reply.headers().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        return headers;
    }

    private static List<String> compareXml(String expected, byte[] actual) {
        Diff diff;
        try {
            diff = DiffBuilder.compare(Input.fromString(expected))
                    .withTest(Input.fromByteArray(actual))
                    .ignoreComments()
                    .ignoreElementContentWhitespace()
                    .withNodeMatcher(new DefaultNodeMatcher(ELEMENTS))
                    .withDifferenceEvaluator(
                            DifferenceEvaluators.chain(DifferenceEvaluators.Default, GoldenTest::wildcards))
                    .checkForSimilar()
                    .build();
        } catch (XMLUnitException e) {
            return List.of("expected or actual body is not well-formed XML: " + e.getMessage());
        }
        List<String> differences = new ArrayList<>();
        diff.getDifferences().forEach(difference -> differences.add(difference.toString()));
        return differences;
    }

    /** Text that is {@code ${any}}, and every RequestId's text, matches whatever the reply has. */
    private static ComparisonResult wildcards(Comparison comparison, ComparisonResult outcome) {
        if (outcome == ComparisonResult.EQUAL || comparison.getType() != ComparisonType.TEXT_VALUE) {
            return outcome;
        }
        Node control = comparison.getControlDetails().getTarget();
        if (control == null) {
            return outcome;
        }
        Node parent = control.getParentNode();
        boolean requestId =
                parent instanceof Element element && localName(element).equals("RequestId");
        return requestId || ANY.equals(control.getNodeValue()) ? ComparisonResult.EQUAL : outcome;
    }

    private static ElementSelector byChild(String child) {
        return ElementSelectors.byXPath("./sqs:" + child, Map.of("sqs", NAMESPACE), ElementSelectors.byNameAndText);
    }

    private static String localName(Element element) {
        return element.getLocalName() != null ? element.getLocalName() : element.getNodeName();
    }

    private static JsonNode substituteTree(JsonNode node, Map<String, Reply> replies) {
        if (node.isTextual()) {
            return new TextNode(substitute(node.asText(), replies, raw -> raw));
        }
        if (node.isObject()) {
            ObjectNode out = MAPPER.createObjectNode();
            node.properties().forEach(field -> out.set(field.getKey(), substituteTree(field.getValue(), replies)));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = MAPPER.createArrayNode();
            node.forEach(item -> out.add(substituteTree(item, replies)));
            return out;
        }
        return node;
    }

    /** Objects by member name, arrays as multisets (SQS does not promise an order), {@code ${any}} as anything. */
    private static void compareJson(String path, JsonNode expected, JsonNode actual, List<String> differences) {
        String where = path.isEmpty() ? "/" : path;
        if (expected.isTextual() && expected.asText().equals(ANY)) {
            if (actual.isMissingNode() || actual.isNull()) {
                differences.add(where + ": expected a value but there is none");
            }
        } else if (expected.isObject() && actual.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (!expected.has(name)) {
                    differences.add(path + "/" + name + ": unexpected member " + actual.get(name));
                } else if (!actual.has(name)) {
                    differences.add(path + "/" + name + ": missing, expected " + expected.get(name));
                } else {
                    compareJson(path + "/" + name, expected.get(name), actual.get(name), differences);
                }
            }
        } else if (expected.isArray() && actual.isArray()) {
            compareArrays(path, expected, actual, differences);
        } else if (!sameScalar(expected, actual)) {
            differences.add(where + ": expected " + expected + " but was " + actual);
        }
    }

    private static void compareArrays(String path, JsonNode expected, JsonNode actual, List<String> differences) {
        if (expected.size() != actual.size()) {
            differences.add(path + ": expected " + expected.size() + " items but there are " + actual.size());
            return;
        }
        List<JsonNode> unmatched = new ArrayList<>();
        actual.forEach(unmatched::add);
        int index = 0;
        for (JsonNode item : expected) {
            JsonNode match = null;
            for (Iterator<JsonNode> it = unmatched.iterator(); it.hasNext() && match == null; ) {
                JsonNode candidate = it.next();
                List<String> itemDifferences = new ArrayList<>();
                compareJson(path + "/" + index, item, candidate, itemDifferences);
                if (itemDifferences.isEmpty()) {
                    match = candidate;
                    it.remove();
                }
            }
            if (match == null) {
                compareJson(path + "/" + index, item, actual.get(index), differences);
            }
            index++;
        }
    }

    private static boolean sameScalar(JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        return Objects.equals(expected, actual);
    }

    // ---- escaping of substituted values

    private static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String jsonEscape(String value) {
        try {
            String quoted = MAPPER.writeValueAsString(value);
            return quoted.substring(1, quoted.length() - 1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String xmlEscape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
