package dev.sluice.compat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of SQS requests that range from valid to hostile, in both wire protocols: every action (and unknown
 * ones), members of every action with values of every type (wrong types, huge, empty, control characters, lone
 * surrogates, deep nesting), then the encoding itself broken (invalid UTF-8 and percent escapes, duplicated keys,
 * truncated bodies, wrong content types, a missing or wrong X-Amz-Target). Values often name the suite's real queues,
 * so requests reach the rules and not only the parsers.
 */
final class HostileRequests {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final List<String> ACTIONS = List.of(
            "CreateQueue",
            "GetQueueUrl",
            "ListQueues",
            "DeleteQueue",
            "GetQueueAttributes",
            "SetQueueAttributes",
            "PurgeQueue",
            "SendMessage",
            "SendMessageBatch",
            "ReceiveMessage",
            "DeleteMessage",
            "DeleteMessageBatch",
            "ChangeMessageVisibility",
            "ChangeMessageVisibilityBatch",
            "TagQueue",
            "UntagQueue",
            "ListQueueTags",
            "ListDeadLetterSourceQueues",
            "StartMessageMoveTask",
            "CancelMessageMoveTask",
            "ListMessageMoveTasks",
            "AddPermission",
            "RemovePermission");

    /** Every member name any SQS action has (JSON names; the query encoding flattens them). */
    private static final List<String> MEMBERS = List.of(
            "QueueUrl",
            "QueueName",
            "MessageBody",
            "ReceiptHandle",
            "DelaySeconds",
            "MessageGroupId",
            "MessageDeduplicationId",
            "MaxNumberOfMessages",
            "VisibilityTimeout",
            "WaitTimeSeconds",
            "AttributeNames",
            "MessageAttributeNames",
            "MessageSystemAttributeNames",
            "Attributes",
            "MessageAttributes",
            "MessageSystemAttributes",
            "Entries",
            "Tags",
            "TagKeys",
            "Label",
            "AWSAccountIds",
            "Actions",
            "QueueNamePrefix",
            "MaxResults",
            "NextToken",
            "SourceArn",
            "DestinationArn",
            "MaxNumberOfMessagesPerSecond",
            "TaskHandle",
            "ReceiveRequestAttemptId",
            "QueueOwnerAWSAccountId");

    /** A request as sent: whether X-Amz-Target is set decides the protocol the server picks, as SQS does. */
    record HostileRequest(String method, String path, String query, Map<String, String> headers, byte[] body) {
        boolean json() {
            return headers.containsKey("X-Amz-Target");
        }

        @Override
        public String toString() {
            String shown = new String(body, StandardCharsets.ISO_8859_1);
            return method + " " + path + (query == null ? "" : "?" + query) + " " + headers + " "
                    + (shown.length() > 600 ? shown.substring(0, 600) + "… (" + body.length + " bytes)" : shown);
        }
    }

    private final String endpointBase;
    private final List<String> queueUrls;
    private final List<String> queueNames;

    /** {@code queueUrls}: the suite's queues, which values name often; {@code endpointBase}: scheme and authority. */
    HostileRequests(String endpointBase, List<String> queueUrls) {
        this.endpointBase = endpointBase;
        this.queueUrls = queueUrls;
        this.queueNames = queueUrls.stream()
                .map(url -> url.substring(url.lastIndexOf('/') + 1))
                .toList();
    }

    Arbitrary<HostileRequest> query() {
        return Combinators.combine(
                        action(), members(), paths(), Arbitraries.integers().between(0, 99), breakage())
                .as((action, members, path, style, broken) -> {
                    Map<String, String> flat = new LinkedHashMap<>();
                    if (action != null) {
                        flat.put("Action", action);
                    }
                    if (style % 3 != 0) {
                        flat.put("Version", "2012-11-05");
                    }
                    members.forEach((name, value) -> flatten(flat, name, value, style));
                    String form = form(flat);
                    Map<String, String> headers = new LinkedHashMap<>();
                    if (style < 70) {
                        headers.put("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
                    } else if (style < 80) {
                        headers.put("Content-Type", pick(style, "text/plain", "application/json", "multipart/x", ""));
                    }
                    if (style % 7 == 0) {
                        headers.put("Accept", "application/json");
                    }
                    if (style >= 90 && form.length() <= 4000) {
                        // GET: the parameters in the query string, no body (HTTP servers refuse long request lines
                        // before any SQS rule runs, so long ones are posted).
                        return new HostileRequest("GET", path, form, headers, new byte[0]);
                    }
                    return new HostileRequest(
                            "POST", path, null, headers, broken.apply(form.getBytes(StandardCharsets.UTF_8)));
                });
    }

    Arbitrary<HostileRequest> json() {
        return Combinators.combine(action(), members(), Arbitraries.integers().between(0, 99), breakage(), paths())
                .as((action, members, style, broken, path) -> {
                    Map<String, String> headers = new LinkedHashMap<>();
                    headers.put(
                            "X-Amz-Target",
                            style < 85
                                    ? "AmazonSQS." + (action == null ? "" : action)
                                    : pick(style, "AmazonSQS.", "Foo.Bar", "AmazonSQS.FooBar", String.valueOf(action)));
                    headers.put(
                            "Content-Type",
                            style < 80
                                    ? "application/x-amz-json-1.0"
                                    : pick(style, "text/plain", "application/json", ""));
                    if (style % 2 == 0) {
                        headers.put("x-amzn-query-mode", "true");
                    }
                    byte[] body = style % 11 == 0 ? jsonOddity(style) : writeJson(members);
                    return new HostileRequest("POST", style % 5 == 0 ? path : "/", null, headers, broken.apply(body));
                });
    }

    // ---- values

    private Arbitrary<String> action() {
        return Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.of(ACTIONS)),
                Tuple.of(1, Arbitraries.of("FooBar", "", "sendmessage", "SendMessage ", "Send%4Dessage")),
                Tuple.of(1, Arbitraries.just(null)));
    }

    private Arbitrary<Map<String, Object>> members() {
        return Arbitraries.maps(Arbitraries.of(MEMBERS), value(3)).ofMaxSize(6).map(map -> {
            Map<String, Object> out = new LinkedHashMap<>(map);
            return out;
        });
    }

    private Arbitrary<String> paths() {
        List<String> paths = new ArrayList<>(List.of("/", "/", "/", "/000000000000/", "/a/b/c", "/000000000000/nope"));
        queueUrls.forEach(url -> paths.add(url.substring(endpointBase.length())));
        return Arbitraries.of(paths);
    }

    /** A member value: mostly strings, sometimes numbers, booleans, lists, maps, null, deep nesting. */
    private Arbitrary<Object> value(int depth) {
        List<Tuple.Tuple2<Integer, Arbitrary<?>>> choices = new ArrayList<>();
        choices.add(Tuple.of(10, text()));
        choices.add(Tuple.of(
                2,
                Arbitraries.oneOf(
                        Arbitraries.integers().between(-5, 50).map(i -> (Object) i),
                        Arbitraries.longs().map(l -> (Object) l),
                        Arbitraries.of(1e300, -0.5, Double.MIN_VALUE).map(d -> (Object) d))));
        choices.add(Tuple.of(1, Arbitraries.of(true, false).map(b -> (Object) b)));
        choices.add(Tuple.of(1, Arbitraries.just(null)));
        if (depth > 0) {
            choices.add(Tuple.of(3, value(depth - 1).list().ofMaxSize(4).map(l -> (Object) l)));
            choices.add(Tuple.of(
                    4,
                    Arbitraries.maps(Arbitraries.oneOf(Arbitraries.of(structureKeys()), text()), value(depth - 1))
                            .ofMaxSize(4)
                            .map(m -> (Object) new LinkedHashMap<>(m))));
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        Arbitrary<Object> chosen = (Arbitrary) Arbitraries.frequencyOf(choices.toArray(Tuple.Tuple2[]::new));
        return chosen;
    }

    /** Member names of the nested structures (entries, attribute values), so nested maps look plausible. */
    private static List<String> structureKeys() {
        return List.of(
                "Id",
                "MessageBody",
                "ReceiptHandle",
                "VisibilityTimeout",
                "DataType",
                "StringValue",
                "BinaryValue",
                "StringListValues",
                "AWSTraceHeader",
                "Name",
                "Value",
                "Key",
                "MessageGroupId",
                "MessageDeduplicationId",
                "DelaySeconds",
                "RedrivePolicy",
                "VisibilityTimeout",
                "FifoQueue",
                "Policy",
                "All");
    }

    private Arbitrary<String> text() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(queueUrls)),
                Tuple.of(2, Arbitraries.of(queueNames)),
                Tuple.of(
                        3,
                        Arbitraries.of(
                                "",
                                "hello",
                                "0",
                                "1",
                                "10",
                                "-1",
                                "900",
                                "43201",
                                "2147483648",
                                "1e3",
                                "NaN",
                                "true",
                                "All",
                                ".*",
                                "String",
                                "Number",
                                "Binary",
                                "AQID",
                                "arn:aws:sqs:us-east-1:000000000000:fuzz-std",
                                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:fuzz-std\",\"maxReceiveCount\":1}",
                                "{\"Statement\":[]}",
                                "{\"taskId\":1}",
                                "eyJ0YXNrSWQiOiJ4Iiwic291cmNlQXJuIjoiYXJuOmF3czpzcXM6dXMtZWFzdC0xOjAwMDAwMDAwMDAwMDpmdXp6LXN0ZCJ9",
                                "AWS.x",
                                "..a",
                                "a b",
                                "ä€𝄞")),
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(40)),
                Tuple.of(
                        2,
                        Arbitraries.strings()
                                .withCharRange('\u0000', '\u001f')
                                .ofMinLength(1)
                                .ofMaxLength(8)),
                Tuple.of(
                        1,
                        Arbitraries.strings()
                                .withChars('\ud800', '\udfff', '\ufffe', 'a')
                                .ofMinLength(1)
                                .ofMaxLength(8)),
                Tuple.of(1, Arbitraries.integers().between(1_000, 1_100_000).map(n -> "x".repeat(n))));
    }

    // ---- encodings

    /** Flattens a member into query parameters, in one of several styles (the model's and wrong ones). */
    @SuppressWarnings("unchecked")
    private static void flatten(Map<String, String> flat, String name, Object value, int style) {
        if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                flat.put(name, "");
            }
            int first = style % 13 == 0 ? 0 : 1;
            for (int i = 0; i < list.size(); i++) {
                flatten(flat, name + "." + (i + first), list.get(i), style);
            }
        } else if (value instanceof Map<?, ?> map) {
            int i = 1;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (style % 2 == 0) {
                    flat.put(name + "." + i + ".Name", String.valueOf(entry.getKey()));
                    flatten(flat, name + "." + i + ".Value", entry.getValue(), style);
                } else {
                    flatten(flat, name + "." + entry.getKey(), entry.getValue(), style);
                }
                i++;
            }
        } else {
            flat.put(name, value == null ? "" : String.valueOf(value));
        }
    }

    private static String form(Map<String, String> flat) {
        StringBuilder out = new StringBuilder();
        flat.forEach((name, value) -> {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(encode(name)).append('=').append(encode(value));
        });
        return out.toString();
    }

    /** Percent-encodes the UTF-8 of the text; a lone surrogate becomes the bytes ED xx xx, which are not UTF-8. */
    private static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c)
                            && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1)))) {
                out.append("%ED%")
                        .append(Integer.toHexString(0xA0 | (c >> 6 & 0x1F)).toUpperCase())
                        .append('%')
                        .append(Integer.toHexString(0x80 | c & 0x3F).toUpperCase());
            } else {
                int end = Character.isHighSurrogate(c) ? i + 2 : i + 1;
                out.append(URLEncoder.encode(text.substring(i, end), StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        return out.toString();
    }

    private static byte[] writeJson(Map<String, Object> members) {
        try {
            return JSON.writeValueAsBytes(members);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JSON bodies no encoder writes: deep nesting, duplicated keys, wrong top-level types, invalid UTF-8. */
    private byte[] jsonOddity(int style) {
        String url = queueUrls.getFirst();
        return switch (style % 6) {
            case 0 -> ("[".repeat(3000) + "]".repeat(3000)).getBytes(StandardCharsets.UTF_8);
            case 1 ->
                ("{\"QueueUrl\":\"" + url + "\",\"QueueUrl\":\"" + url + "x\",\"MessageBody\":\"a\"}")
                        .getBytes(StandardCharsets.UTF_8);
            case 2 -> "\"just a string\"".getBytes(StandardCharsets.UTF_8);
            case 3 ->
                ("{\"QueueUrl\":\"" + url + "\",\"MessageBody\":" + "{\"a\":".repeat(1500) + "1" + "}".repeat(1500)
                                + "}")
                        .getBytes(StandardCharsets.UTF_8);
            case 4 -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(("{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"a").getBytes(StandardCharsets.UTF_8));
                out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xED, (byte) 0xA0, (byte) 0x80});
                out.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
                yield out.toByteArray();
            }
            default ->
                "{\"QueueUrl\":null,\"MessageBody\":1e99999,\"DelaySeconds\":-0}".getBytes(StandardCharsets.UTF_8);
        };
    }

    /** What may happen to the encoded body: nothing, mostly; else truncation, stray bytes or broken escapes. */
    private static Arbitrary<UnaryOperator<byte[]>> breakage() {
        UnaryOperator<byte[]> intact = body -> body;
        UnaryOperator<byte[]> strayBytes = body -> concat(body, new byte[] {(byte) 0xC3, (byte) 0x28});
        Arbitrary<UnaryOperator<byte[]>> truncated =
                Arbitraries.doubles().between(0, 1).map(cut -> body -> Arrays.copyOf(body, (int) (body.length * cut)));
        Arbitrary<UnaryOperator<byte[]>> junk = Arbitraries.of("%", "%G1", "%FF", "%C3", "&&==&", "\u0000", "%00")
                .map(text -> body -> concat(body, text.getBytes(StandardCharsets.ISO_8859_1)));
        return Arbitraries.frequencyOf(
                Tuple.of(14, Arbitraries.just(intact)),
                Tuple.of(2, truncated),
                Tuple.of(1, junk),
                Tuple.of(1, Arbitraries.just(strayBytes)));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String pick(int seed, String... options) {
        return options[seed % options.length];
    }
}
