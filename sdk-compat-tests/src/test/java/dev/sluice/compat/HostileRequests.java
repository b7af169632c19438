package dev.sluice.compat;

import dev.sluice.compat.FuzzCase.Breakage;
import dev.sluice.compat.FuzzCase.Protocol;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Draws SQS requests that range from valid to hostile, in both wire protocols: every action (and unknown ones),
 * members of every action with values of every type (wrong types, huge, empty, control characters, lone surrogates,
 * deep nesting), then the encoding itself broken (invalid UTF-8 and percent escapes, duplicated keys, truncated
 * bodies, wrong content types, a missing or wrong X-Amz-Target; see {@link HostileEncoding}). Values often name the
 * suite's real queues, so requests reach the rules and not only the parsers.
 *
 * <p>A case is a function of its seed alone ({@link #draw}), so a seed printed by a failure draws the same request
 * again.
 */
final class HostileRequests {
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

    private static final List<String> ODD_ACTIONS =
            List.of("FooBar", "", "sendmessage", "SendMessage ", "Send%4Dessage");

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

    /** Member names of the nested structures (entries, attribute values), so nested maps look plausible. */
    private static final List<String> STRUCTURE_KEYS = List.of(
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
            "FifoQueue",
            "Policy",
            "All");

    /** Values that mean something to some rule: limits and just past them, type names, ARNs, JSON documents. */
    private static final List<String> MEANINGFUL = List.of(
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
            "ä€𝄞");

    private static final List<String> JUNK = List.of("%", "%G1", "%FF", "%C3", "&&==&", "\u0000", "%00");

    private final List<String> queueUrls;
    private final List<String> queueNames;
    private final List<String> paths;

    /** {@code queueUrls}: the suite's queues, which values name often; {@code endpointBase}: scheme and authority. */
    HostileRequests(String endpointBase, List<String> queueUrls) {
        this.queueUrls = List.copyOf(queueUrls);
        this.queueNames = queueUrls.stream()
                .map(url -> url.substring(url.lastIndexOf('/') + 1))
                .toList();
        List<String> paths = new ArrayList<>(List.of("/", "/", "/", "/000000000000/", "/a/b/c", "/000000000000/nope"));
        queueUrls.forEach(url -> paths.add(url.substring(endpointBase.length())));
        this.paths = List.copyOf(paths);
    }

    /** The case that {@code seed} stands for in {@code protocol}. */
    FuzzCase draw(Protocol protocol, long seed) {
        RandomGenerator random = new SplittableRandom(seed);
        String action = action(random);
        Map<String, Object> members = members(random);
        String path = pick(random, paths);
        int style = random.nextInt(100);
        byte[] oddBody = protocol == Protocol.JSON && style % 11 == 0 ? oddJson(style) : null;
        return new FuzzCase(protocol, action, members, path, style, oddBody, breakage(random));
    }

    private static String action(RandomGenerator random) {
        return switch (weighted(random, 12, 1, 1)) {
            case 0 -> pick(random, ACTIONS);
            case 1 -> pick(random, ODD_ACTIONS);
            default -> null;
        };
    }

    private Map<String, Object> members(RandomGenerator random) {
        Map<String, Object> members = new LinkedHashMap<>();
        int size = random.nextInt(7);
        while (members.size() < size) {
            members.put(pick(random, MEMBERS), value(random, 3));
        }
        return members;
    }

    /** A member value: mostly strings, sometimes numbers, booleans, lists, maps, null; nested up to {@code depth}. */
    private Object value(RandomGenerator random, int depth) {
        return switch (weighted(random, 10, 2, 1, 1, depth > 0 ? 3 : 0, depth > 0 ? 4 : 0)) {
            case 0 -> text(random);
            case 1 -> number(random);
            case 2 -> random.nextBoolean();
            case 3 -> null;
            case 4 -> {
                List<Object> list = new ArrayList<>();
                for (int n = random.nextInt(5); n > 0; n--) {
                    list.add(value(random, depth - 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int n = random.nextInt(5); n > 0; n--) {
                    map.put(
                            random.nextBoolean() ? pick(random, STRUCTURE_KEYS) : text(random),
                            value(random, depth - 1));
                }
                yield map;
            }
        };
    }

    private static Object number(RandomGenerator random) {
        return switch (random.nextInt(3)) {
            case 0 -> random.nextInt(-5, 51);
            case 1 -> random.nextLong();
            default -> pick(random, List.of(1e300, -0.5, Double.MIN_VALUE));
        };
    }

    private String text(RandomGenerator random) {
        return switch (weighted(random, 4, 2, 3, 3, 2, 1, 1)) {
            case 0 -> pick(random, queueUrls);
            case 1 -> pick(random, queueNames);
            case 2 -> pick(random, MEANINGFUL);
            case 3 -> anyChars(random, random.nextInt(41));
            case 4 -> charsOf(random, 1 + random.nextInt(8), "\u0000\u0001\u0002\u0007\t\n\r\u000b\u001b\u001f");
            case 5 -> charsOf(random, 1 + random.nextInt(8), "\ud800\udfff\ufffea");
            default -> "x".repeat(random.nextInt(1_000, 1_100_001));
        };
    }

    /** Any UTF-16 units: mostly printable ASCII, else any BMP unit (lone surrogates too) or a supplementary pair. */
    private static String anyChars(RandomGenerator random, int length) {
        StringBuilder out = new StringBuilder(length);
        while (out.length() < length) {
            switch (weighted(random, 10, 7, 3)) {
                case 0 -> out.append((char) random.nextInt(0x20, 0x7F));
                case 1 -> out.append((char) random.nextInt(0x10000));
                default -> out.appendCodePoint(random.nextInt(0x10000, Character.MAX_CODE_POINT + 1));
            }
        }
        return out.toString();
    }

    private static String charsOf(RandomGenerator random, int length, String alphabet) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    /** JSON bodies no encoder writes: deep nesting, duplicated keys, wrong top-level types, invalid UTF-8. */
    private byte[] oddJson(int style) {
        String url = queueUrls.getFirst();
        return switch (style % 6) {
            case 0 -> utf8("[".repeat(3000) + "]".repeat(3000));
            case 1 -> utf8("{\"QueueUrl\":\"" + url + "\",\"QueueUrl\":\"" + url + "x\",\"MessageBody\":\"a\"}");
            case 2 -> utf8("\"just a string\"");
            case 3 ->
                utf8("{\"QueueUrl\":\"" + url + "\",\"MessageBody\":" + "{\"a\":".repeat(1500) + "1" + "}".repeat(1500)
                        + "}");
            case 4 -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(utf8("{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"a"));
                out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xED, (byte) 0xA0, (byte) 0x80});
                out.writeBytes(utf8("\"}"));
                yield out.toByteArray();
            }
            default -> utf8("{\"QueueUrl\":null,\"MessageBody\":1e99999,\"DelaySeconds\":-0}");
        };
    }

    /** Mostly nothing; else a truncated body, junk or a broken escape at its end, or stray bytes. */
    private static Breakage breakage(RandomGenerator random) {
        return switch (weighted(random, 14, 2, 1, 1)) {
            case 0 -> Breakage.INTACT;
            case 1 -> new Breakage(Breakage.Kind.TRUNCATED, random.nextDouble(), "");
            case 2 -> new Breakage(Breakage.Kind.JUNK, 1, pick(random, JUNK));
            default -> new Breakage(Breakage.Kind.STRAY_BYTES, 1, "");
        };
    }

    /** An index into {@code weights}, each drawn in proportion to its weight. */
    private static int weighted(RandomGenerator random, int... weights) {
        int total = 0;
        for (int weight : weights) {
            total += weight;
        }
        int draw = random.nextInt(total);
        int index = 0;
        while (draw >= weights[index]) {
            draw -= weights[index++];
        }
        return index;
    }

    private static <T> T pick(RandomGenerator random, List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
