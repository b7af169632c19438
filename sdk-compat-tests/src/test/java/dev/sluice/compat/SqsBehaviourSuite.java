package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SQS behaviours Sluice promises, written once against {@link SqsPort} and run once per SDK (so once per wire
 * protocol) by the concrete subclasses. Real SQS is the specification: where a test asserts something the AWS
 * documentation leaves open, a comment says which reading it took and where it came from.
 *
 * <p>All tests of a class share one server, so every test makes its own queues with unique names. A handful of tests
 * wait in real time (about 1 s each) for visibility timeouts, delays and long polls: this is a black-box test of a
 * real server, which has no test clock to advance.
 */
abstract class SqsBehaviourSuite extends SqsSuiteSupport {
    static final String ACCOUNT_ID = "000000000000";
    static final int ONE_MIB = 1_048_576;

    private String anyQueueUrl;

    // CreateQueue and GetQueueUrl

    @Test
    void createQueueReturnsAUrlUnderTheAccountThatGetQueueUrlAlsoReturns() {
        String name = queueName("url");
        String url = sqs.createQueue(name, Map.of(), Map.of());

        // Sluice's contract: http://127.0.0.1:PORT/000000000000/NAME, i.e. the endpoint the client used.
        URI uri = URI.create(url);
        assertThat(uri.getHost()).isEqualTo(sqs.endpoint().getHost());
        assertThat(uri.getPort()).isEqualTo(sqs.endpoint().getPort());
        assertThat(uri.getPath()).isEqualTo("/" + ACCOUNT_ID + "/" + name);
        assertThat(sqs.getQueueUrl(name)).isEqualTo(url);
    }

    @Test
    void createQueueStoresAttributesAndTags() {
        var attributes = Map.of(
                "VisibilityTimeout", "45",
                "DelaySeconds", "2",
                "MaximumMessageSize", "2048",
                "MessageRetentionPeriod", "86400",
                "ReceiveMessageWaitTimeSeconds", "3");
        var tags = Map.of("team", "sluice", "purpose", "compat test");

        String url = sqs.createQueue(queueName("attrs"), attributes, tags);

        assertThat(sqs.getQueueAttributes(url, List.of("All"))).containsAllEntriesOf(attributes);
        assertThat(sqs.listQueueTags(url)).isEqualTo(tags);
    }

    @Test
    void createQueueWithIdenticalAttributesReturnsTheExistingQueue() {
        String name = queueName("idem");
        var attributes = Map.of("VisibilityTimeout", "60", "DelaySeconds", "5");
        String url = sqs.createQueue(name, attributes, Map.of());

        assertThat(sqs.createQueue(name, attributes, Map.of())).isEqualTo(url);
    }

    @Test
    void createQueueWithDifferentAttributesFailsWithQueueAlreadyExists() {
        String name = queueName("clash");
        sqs.createQueue(name, Map.of("VisibilityTimeout", "60"), Map.of());

        assertError(
                () -> sqs.createQueue(name, Map.of("VisibilityTimeout", "61"), Map.of()), "QueueAlreadyExists", 400);
    }

    static Stream<String> invalidQueueNames() {
        // SQS: 1-80 characters of [A-Za-z0-9_-]; only FIFO queues may (must) end in ".fifo".
        return Stream.of("has space", "dots.are.invalid", "slash/inside", "\u00fcnicode", "q".repeat(81));
    }

    @ParameterizedTest
    @MethodSource("invalidQueueNames")
    void createQueueRejectsAnInvalidName(String name) {
        assertError(() -> sqs.createQueue(name, Map.of(), Map.of()), "InvalidParameterValue", 400);
    }

    @Test
    void createQueueAcceptsANameOfEightyCharacters() {
        String name = queueName("long");
        name = name + "x".repeat(80 - name.length());

        assertThat(sqs.createQueue(name, Map.of(), Map.of())).endsWith("/" + name);
    }

    @Test
    void createQueueRejectsAnAttributeValueOutOfRange() {
        assertError(
                () -> sqs.createQueue(queueName("range"), Map.of("VisibilityTimeout", "43201"), Map.of()),
                "InvalidAttributeValue",
                400);
    }

    @Test
    void createQueueRejectsAnUnknownAttributeName() {
        assertError(
                () -> sqs.createQueue(queueName("unknown"), Map.of("NoSuchAttribute", "1"), Map.of()),
                "InvalidAttributeName",
                400);
    }

    @Test
    void getQueueUrlOfAMissingQueueFailsWithNonExistentQueue() {
        assertError(() -> sqs.getQueueUrl(queueName("missing")), NON_EXISTENT_QUEUE, 400);
    }

    // ListQueues and DeleteQueue

    @Test
    void listQueuesReturnsTheQueuesWhoseNameStartsWithThePrefix() {
        String prefix = queueName("list");
        String a = sqs.createQueue(prefix + "-a", Map.of(), Map.of());
        String b = sqs.createQueue(prefix + "-b", Map.of(), Map.of());
        sqs.createQueue(queueName("other"), Map.of(), Map.of());

        var listing = sqs.listQueues(prefix, null, null);

        assertThat(listing.queueUrls()).containsExactlyInAnyOrder(a, b);
        // SQS: "You must set MaxResults to receive a value for NextToken in the response."
        assertThat(listing.nextToken()).isNull();
    }

    @Test
    void listQueuesPagesWithMaxResultsAndNextToken() {
        String prefix = queueName("page");
        var created = IntStream.rangeClosed(1, 3)
                .mapToObj(i -> sqs.createQueue(prefix + "-" + i, Map.of(), Map.of()))
                .toList();

        var first = sqs.listQueues(prefix, 2, null);
        assertThat(first.queueUrls()).hasSize(2);
        assertThat(first.nextToken()).isNotBlank();

        var second = sqs.listQueues(prefix, 2, first.nextToken());
        assertThat(second.queueUrls()).hasSize(1);
        // SQS: "Token value is null if there are no additional results to request".
        assertThat(second.nextToken()).isNull();

        var all = new ArrayList<>(first.queueUrls());
        all.addAll(second.queueUrls());
        assertThat(all).containsExactlyInAnyOrderElementsOf(created);
    }

    @Test
    void deleteQueueRemovesTheQueue() {
        String name = queueName("delete");
        String url = sqs.createQueue(name, Map.of(), Map.of());
        sqs.sendMessage(url, OutgoingMessage.of("doomed"));

        sqs.deleteQueue(url);

        // Real SQS says deletion "takes up to 60 seconds" and requests may still succeed meanwhile; Sluice has no
        // replicas to converge, so the queue is expected to be gone at once.
        assertError(() -> sqs.getQueueUrl(name), NON_EXISTENT_QUEUE, 400);
        assertThat(sqs.listQueues(name, null, null).queueUrls()).isEmpty();
    }

    // GetQueueAttributes

    @Test
    void getQueueAttributesAllReturnsTheDefaultsOfANewQueue() {
        long before = epochSecondsNow();
        String name = queueName("defaults");
        String url = sqs.createQueue(name, Map.of(), Map.of());
        long after = epochSecondsNow();

        var attributes = sqs.getQueueAttributes(url, List.of("All"));

        assertThat(attributes)
                .containsEntry("VisibilityTimeout", "30")
                .containsEntry("DelaySeconds", "0")
                // SQS raised the default (and maximum) from 262,144 to 1 MiB in August 2025.
                .containsEntry("MaximumMessageSize", String.valueOf(ONE_MIB))
                .containsEntry("MessageRetentionPeriod", "345600")
                .containsEntry("ReceiveMessageWaitTimeSeconds", "0")
                .containsEntry("ApproximateNumberOfMessages", "0")
                .containsEntry("ApproximateNumberOfMessagesNotVisible", "0")
                .containsEntry("ApproximateNumberOfMessagesDelayed", "0")
                .containsEntry("QueueArn", "arn:aws:sqs:us-east-1:" + ACCOUNT_ID + ":" + name);
        // Epoch seconds, not milliseconds (GetQueueAttributes API reference).
        long created = Long.parseLong(attributes.get("CreatedTimestamp"));
        long modified = Long.parseLong(attributes.get("LastModifiedTimestamp"));
        assertThat(created).isBetween(before - 5, after + 5);
        assertThat(modified).isBetween(created, after + 5);
    }

    @Test
    void getQueueAttributesReturnsOnlyTheNamedAttributes() {
        String url = newQueue("named", Map.of("VisibilityTimeout", "40"));

        assertThat(sqs.getQueueAttributes(url, List.of("VisibilityTimeout")))
                .isEqualTo(Map.of("VisibilityTimeout", "40"));
        assertThat(sqs.getQueueAttributes(url, List.of("QueueArn", "DelaySeconds")))
                .containsOnlyKeys("QueueArn", "DelaySeconds");
    }

    @Test
    void getQueueAttributesWithoutAttributeNamesReturnsNothing() {
        // SQS: "if you don't specify values for this parameter, the request returns empty results."
        assertThat(sqs.getQueueAttributes(newQueue("none"), null)).isEmpty();
    }

    @Test
    void getQueueAttributesRejectsAnUnknownAttributeName() {
        String url = newQueue("badname");

        assertError(() -> sqs.getQueueAttributes(url, List.of("NoSuchAttribute")), "InvalidAttributeName", 400);
    }

    @Test
    void approximateCountsTrackVisibleInFlightAndDelayedMessages() {
        String url = newQueue("counts");
        sendAll(url, 3);
        sqs.sendMessage(url, OutgoingMessage.of("delayed").withDelaySeconds(600));
        assertThat(sqs.receiveMessage(url, ReceiveRequest.upTo(1).visibilityTimeout(300)))
                .hasSize(1);

        // Real SQS calls these approximate and eventually consistent (up to a minute); a single Sluice node is
        // expected to be exact at once.
        assertCounts(url, 2, 1, 1);
    }

    // SetQueueAttributes

    static Stream<Arguments> attributeRanges() {
        // Ranges from the SetQueueAttributes API reference.
        return Stream.of(
                arguments("VisibilityTimeout", 0, 43_200),
                arguments("DelaySeconds", 0, 900),
                arguments("MaximumMessageSize", 1_024, ONE_MIB),
                arguments("MessageRetentionPeriod", 60, 1_209_600),
                arguments("ReceiveMessageWaitTimeSeconds", 0, 20));
    }

    @ParameterizedTest(name = "{0} in {1}..{2}")
    @MethodSource("attributeRanges")
    void setQueueAttributesAcceptsTheRangeAndRejectsValuesOutsideIt(String attribute, int min, int max) {
        String url = newQueue("set");

        sqs.setQueueAttributes(url, Map.of(attribute, String.valueOf(min)));
        assertThat(sqs.getQueueAttributes(url, List.of(attribute))).containsEntry(attribute, String.valueOf(min));
        sqs.setQueueAttributes(url, Map.of(attribute, String.valueOf(max)));
        assertThat(sqs.getQueueAttributes(url, List.of(attribute))).containsEntry(attribute, String.valueOf(max));

        assertError(
                () -> sqs.setQueueAttributes(url, Map.of(attribute, String.valueOf(min - 1))),
                "InvalidAttributeValue",
                400);
        assertError(
                () -> sqs.setQueueAttributes(url, Map.of(attribute, String.valueOf(max + 1))),
                "InvalidAttributeValue",
                400);
        assertThat(sqs.getQueueAttributes(url, List.of(attribute))).containsEntry(attribute, String.valueOf(max));
    }

    @Test
    void setQueueAttributesRejectsANonNumericValue() {
        String url = newQueue("nan");

        assertError(
                () -> sqs.setQueueAttributes(url, Map.of("VisibilityTimeout", "soon")), "InvalidAttributeValue", 400);
    }

    @Test
    void setQueueAttributesRejectsAnUnknownAttributeName() {
        String url = newQueue("setunknown");

        assertError(() -> sqs.setQueueAttributes(url, Map.of("NoSuchAttribute", "1")), "InvalidAttributeName", 400);
    }

    @Test
    void aKmsKeyTurnsSqsManagedEncryptionOffAndTheTwoExcludeEachOther() {
        String url = newQueue("sse");
        assertThat(sqs.getQueueAttributes(url, List.of("All"))).containsEntry("SqsManagedSseEnabled", "true");

        // Recorded against AWS in LocalStack's test_set_queue_attributes_default_values and
        // test_sse_kms_and_sqs_are_mutually_exclusive.
        sqs.setQueueAttributes(url, Map.of("KmsMasterKeyId", "testKeyId", "KmsDataKeyReusePeriodSeconds", "6000"));
        assertThat(sqs.getQueueAttributes(url, List.of("All")))
                .containsEntry("KmsMasterKeyId", "testKeyId")
                .containsEntry("KmsDataKeyReusePeriodSeconds", "6000")
                .containsEntry("SqsManagedSseEnabled", "false");

        sqs.setQueueAttributes(url, Map.of("KmsMasterKeyId", "", "KmsDataKeyReusePeriodSeconds", "300"));
        assertThat(sqs.getQueueAttributes(url, List.of("All")))
                .doesNotContainKeys("KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds")
                .containsEntry("SqsManagedSseEnabled", "false");

        var both = assertError(
                () -> sqs.setQueueAttributes(
                        url, Map.of("KmsMasterKeyId", "testKeyId", "SqsManagedSseEnabled", "true")),
                "InvalidAttributeName",
                400);
        assertThat(both.getMessage())
                .contains("You can use one type of server-side encryption (SSE) at one time. You can either enable KMS"
                        + " SSE or SQS SSE.");
    }

    @Test
    void addPermissionWritesAPolicyAndRemovingTheLastPermissionRemovesIt() {
        String url = newQueue("perm");

        sqs.addPermission(url, "crossaccountpermission", List.of("111111111111"), List.of("ReceiveMessage"));

        // Recorded against AWS in LocalStack's test_sqs_permission_lifecycle.
        assertThat(sqs.getQueueAttributes(url, List.of("Policy")).get("Policy"))
                .contains("\"Version\":\"2008-10-17\"")
                .contains("\"Sid\":\"crossaccountpermission\"")
                .contains("\"Action\":\"SQS:ReceiveMessage\"");
        sqs.removePermission(url, "crossaccountpermission");
        assertThat(sqs.getQueueAttributes(url, List.of("Policy"))).isEmpty();
        var error =
                assertError(() -> sqs.removePermission(url, "crossaccountpermission"), "InvalidParameterValue", 400);
        assertThat(error.getMessage())
                .contains("Value crossaccountpermission for parameter Label is invalid. Reason: can't find label.");
    }

    // PurgeQueue

    @Test
    void purgeQueueDeletesEveryMessageIncludingInFlightOnes() {
        String url = newQueue("purge");
        sendAll(url, 3);
        assertThat(sqs.receiveMessage(url, ReceiveRequest.upTo(1).visibilityTimeout(300)))
                .hasSize(1);

        sqs.purgeQueue(url);

        // SQS: PurgeQueue "Deletes available messages in a queue (including in-flight messages)". Real SQS may take
        // up to 60 s; Sluice is expected to be done when it answers.
        assertCounts(url, 0, 0, 0);
        assertThat(sqs.receiveMessage(url, ReceiveRequest.upTo(10))).isEmpty();
    }

    // Tags

    @Test
    void tagQueueUntagQueueAndListQueueTags() {
        String url = sqs.createQueue(queueName("tags"), Map.of(), Map.of("a", "1"));

        sqs.tagQueue(url, Map.of("b", "2", "c", ""));
        assertThat(sqs.listQueueTags(url)).isEqualTo(Map.of("a", "1", "b", "2", "c", ""));

        sqs.tagQueue(url, Map.of("a", "changed"));
        assertThat(sqs.listQueueTags(url)).containsEntry("a", "changed");

        sqs.untagQueue(url, List.of("a", "c"));
        assertThat(sqs.listQueueTags(url)).isEqualTo(Map.of("b", "2"));

        sqs.untagQueue(url, List.of("b"));
        assertThat(sqs.listQueueTags(url)).isEmpty();
    }

    // SendMessage

    @Test
    void sendMessageReturnsTheMd5OfTheBodyAndNoAttributeMd5() {
        String url = newQueue("send");

        var sent = sqs.sendMessage(url, OutgoingMessage.of("hello"));

        assertThat(sent.messageId()).isNotBlank();
        assertThat(sent.md5OfMessageBody()).isEqualTo(MessageMd5.ofBody("hello"));
        // Returning MD5OfMessageAttributes without attributes breaks the PHP SDK (aws-sdk-php #1315).
        assertThat(sent.md5OfMessageAttributes()).isNull();
        var received = receiveOne(url, ReceiveRequest.upTo(1));
        assertThat(received.messageId()).isEqualTo(sent.messageId());
        assertThat(received.body()).isEqualTo("hello");
        assertThat(received.md5OfBody()).isEqualTo(sent.md5OfMessageBody());
    }

    @Test
    void bodiesRoundTripEveryAllowedCharacterRangeUnchanged() {
        // #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF. A lone CR must survive XML (query
        // protocol), where an unescaped CR would be normalised to LF and break the SDK's MD5 check.
        String body = "  leading\ttab\nLF\r\nCRLF lone\rCR <tag a=\"1\"> &amp; ]]> 'apos' \u00e9\u4e2d"
                + "\ud83d\ude00 \ue000\ufffd trailing  ";
        String url = newQueue("chars");

        var sent = sqs.sendMessage(url, OutgoingMessage.of(body));

        assertThat(sent.md5OfMessageBody()).isEqualTo(MessageMd5.ofBody(body));
        var received = receiveOne(url, ReceiveRequest.upTo(1));
        assertThat(received.body()).isEqualTo(body);
        assertThat(received.md5OfBody()).isEqualTo(MessageMd5.ofBody(body));
    }

    @Test
    void messageAttributesOfEveryTypeRoundTripWithMatchingMd5() {
        var attributes = Map.of(
                "text", MessageAttribute.string("plain \u00fcn\u00efc\u00f6d\u00e9 text"),
                "count", MessageAttribute.number("-12345.678"),
                "bytes", MessageAttribute.binary(new byte[] {0, 1, 2, (byte) 0xfe, (byte) 0xff}),
                "ratio", MessageAttribute.custom("Number.float", "3.14"),
                "label", MessageAttribute.custom("String.custom", "custom typed"),
                "image", MessageAttribute.custom("Binary.gif", "GIF89a"));
        String url = newQueue("attrs");

        var sent = sqs.sendMessage(url, OutgoingMessage.of("with attributes").withAttributes(attributes));

        assertThat(sent.md5OfMessageAttributes()).isEqualTo(MessageMd5.ofAttributes(attributes));
        var received = receiveOne(url, ReceiveRequest.upTo(1).messageAttributeNames("All"));
        assertThat(received.messageAttributes()).isEqualTo(attributes);
        assertThat(received.md5OfMessageAttributes()).isEqualTo(MessageMd5.ofAttributes(attributes));
    }

    @Test
    void sendMessageAcceptsTenAttributesAndRejectsEleven() {
        String url = newQueue("tenattrs");
        var ten = attributes(10);
        var eleven = attributes(11);

        assertThat(sqs.sendMessage(url, OutgoingMessage.of("ten").withAttributes(ten))
                        .md5OfMessageAttributes())
                .isEqualTo(MessageMd5.ofAttributes(ten));
        // Code unverified: AWS answers "Number of message attributes [11] exceeds the allowed maximum [10]." and
        // every emulator that records it uses InvalidParameterValue.
        assertError(
                () -> sqs.sendMessage(url, OutgoingMessage.of("eleven").withAttributes(eleven)),
                "InvalidParameterValue",
                400);
    }

    @Test
    void sendMessageAcceptsOneMebibyteAndRejectsOneByteMore() {
        String url = newQueue("size");
        String largest = "x".repeat(ONE_MIB);

        assertThat(sqs.sendMessage(url, OutgoingMessage.of(largest)).md5OfMessageBody())
                .isEqualTo(MessageMd5.ofBody(largest));
        var received = receiveOne(url, ReceiveRequest.upTo(1));
        assertThat(received.body()).hasSize(ONE_MIB).isEqualTo(largest);
        // Real SQS (recorded by LocalStack's AWS-validated snapshots): InvalidParameterValue, "One or more parameters
        // are invalid. Reason: Message must be shorter than 1048576 bytes."
        assertError(() -> sqs.sendMessage(url, OutgoingMessage.of(largest + "x")), "InvalidParameterValue", 400);
    }

    @Test
    void aFewKibibytesOfBodyAndAttributesRoundTrip() {
        // Form-encoded (query protocol) parameters longer than a web framework's default form-field limit (often
        // 2 KiB) must still arrive whole.
        String body = "b".repeat(64 * 1024);
        var attributes = Map.of("big", MessageAttribute.string("a".repeat(8 * 1024)));
        String url = newQueue("kib");

        sqs.sendMessage(url, OutgoingMessage.of(body).withAttributes(attributes));

        var received = receiveOne(url, ReceiveRequest.upTo(1).messageAttributeNames("All"));
        assertThat(received.body()).isEqualTo(body);
        assertThat(received.messageAttributes()).isEqualTo(attributes);
    }

    @Test
    void messageAttributesCountTowardsTheSizeLimit() {
        String url = newQueue("attrsize");
        var message = OutgoingMessage.of("x".repeat(ONE_MIB - 10))
                .withAttribute("name", MessageAttribute.string("0123456789"));

        assertError(() -> sqs.sendMessage(url, message), "InvalidParameterValue", 400);
    }

    @Test
    void theQueueMaximumMessageSizeLimitsTheBody() {
        String url = newQueue("maxsize", Map.of("MaximumMessageSize", "1024"));

        sqs.sendMessage(url, OutgoingMessage.of("x".repeat(1024)));
        assertError(() -> sqs.sendMessage(url, OutgoingMessage.of("x".repeat(1025))), "InvalidParameterValue", 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nul \u0000 inside", "escape \u001b inside", "noncharacter \uffff inside"})
    void sendMessageRejectsCharactersOutsideTheAllowedSet(String body) {
        String url = newQueue("badchars");

        // The SendMessage API reference: "If a message contains characters outside the allowed set, Amazon SQS
        // rejects the message and returns an InvalidMessageContents error." (An older doc text spoke of replacing
        // them with U+FFFD; the current model text says reject.)
        assertError(() -> sqs.sendMessage(url, OutgoingMessage.of(body)), "InvalidMessageContents", 400);
    }

    @Test
    void messageAttributeNamesMayHoldNonAsciiLettersButValuesNoControlCharacters() {
        String url = newQueue("attrchars");
        var letters = Map.of("attr.1øßä", MessageAttribute.string("Valida"));

        // Recorded against AWS in LocalStack's test_send_message_with_invalid_string_attributes and
        // test_invalid_string_attributes_cause_invalid_parameter_value_error.
        var sent = sqs.sendMessage(url, OutgoingMessage.of("letters").withAttributes(letters));
        assertThat(sent.md5OfMessageAttributes()).isEqualTo(MessageMd5.ofAttributes(letters));
        assertThat(receiveOne(url, ReceiveRequest.upTo(1).messageAttributeNames("All"))
                        .messageAttributes())
                .isEqualTo(letters);
        assertError(
                () -> sqs.sendMessage(
                        url,
                        OutgoingMessage.of("bad value")
                                .withAttribute("attr1", MessageAttribute.string("Invalid-\u0008,\u000b"))),
                "InvalidParameterValue",
                400);
        assertError(
                () -> sqs.sendMessage(
                        url,
                        OutgoingMessage.of("bad name").withAttribute("Invalid-§-attr", MessageAttribute.string("v"))),
                "InvalidParameterValue",
                400);
    }

    @Test
    void aFifoDeduplicationIdWithControlCharactersIsInvalidParameterValue() {
        String url = sqs.createQueue(queueName("ctrl") + ".fifo", Map.of("FifoQueue", "true"), Map.of());

        assertError(
                () -> sqs.sendMessage(url, OutgoingMessage.fifo("x", "g", "a\u0001b")), "InvalidParameterValue", 400);
        assertError(
                () -> sqs.sendMessage(url, OutgoingMessage.fifo("x", "g\u0007", "d")), "InvalidParameterValue", 400);
        assertThat(sqs.receiveMessage(url, ReceiveRequest.upTo(10))).isEmpty();
    }

    @Test
    void sendMessageRejectsDelaySecondsAbove900() {
        String url = newQueue("baddelay");

        assertError(
                () -> sqs.sendMessage(url, OutgoingMessage.of("late").withDelaySeconds(901)),
                "InvalidParameterValue",
                400);
    }

    @Test
    void perMessageDelaySecondsHidesTheMessageUntilTheDelayHasPassed() {
        String url = newQueue("msgdelay");
        long sentAt = System.nanoTime();

        sqs.sendMessage(url, OutgoingMessage.of("later").withDelaySeconds(1));

        assertThat(counts(url)).containsEntry("ApproximateNumberOfMessagesDelayed", "1");
        assertThat(sqs.receiveMessage(url, ReceiveRequest.upTo(1))).isEmpty();
        var message = awaitMessage(url, Duration.ofSeconds(5), ReceiveRequest.upTo(1));
        assertThat(message.body()).isEqualTo("later");
        assertThat(millisSince(sentAt)).isGreaterThanOrEqualTo(900);
    }

    @Test
    void queueDelaySecondsDelaysEveryMessage() {
        String url = newQueue("queuedelay", Map.of("DelaySeconds", "1"));
        long sentAt = System.nanoTime();

        sqs.sendMessage(url, OutgoingMessage.of("later"));

        assertThat(sqs.receiveMessage(url, ReceiveRequest.upTo(1))).isEmpty();
        awaitMessage(url, Duration.ofSeconds(5), ReceiveRequest.upTo(1));
        assertThat(millisSince(sentAt)).isGreaterThanOrEqualTo(900);
    }

    @Test
    void perMessageDelaySecondsOverridesTheQueueDelay() {
        String url = newQueue("overridedelay", Map.of("DelaySeconds", "900"));

        // SendMessage API reference: "If you don't specify a value, the default value for the queue applies."
        sqs.sendMessage(url, OutgoingMessage.of("now").withDelaySeconds(0));

        assertThat(receiveOne(url, ReceiveRequest.upTo(1)).body()).isEqualTo("now");
    }

    @Test
    void awsTraceHeaderRoundTripsAsASystemAttribute() {
        String trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
        var user = Map.of("user", MessageAttribute.string("value"));
        String url = newQueue("trace");

        var sent = sqs.sendMessage(
                url, OutgoingMessage.of("traced").withAttributes(user).withAwsTraceHeader(trace));

        assertThat(sent.md5OfMessageSystemAttributes()).isEqualTo(MessageMd5.ofTraceHeader(trace));
        assertThat(sent.md5OfMessageAttributes()).isEqualTo(MessageMd5.ofAttributes(user));
        var received = receiveOne(
                url, ReceiveRequest.upTo(1).attributeNames("AWSTraceHeader").messageAttributeNames("All"));
        assertThat(received.attributes()).isEqualTo(Map.of("AWSTraceHeader", trace));
        assertThat(received.messageAttributes()).isEqualTo(user);
    }

    @Test
    void theXAmznTraceIdHeaderBecomesTheAwsTraceHeaderOfEveryMessageUnlessOneSetsItsOwn() {
        String header = "Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1";
        String own = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
        String url = newQueue("xray");

        // The X-Ray developer guide ("Amazon SQS and AWS X-Ray"): the X-Amzn-Trace-Id header applies to all messages
        // of a SendMessage or SendMessageBatch; an AWSTraceHeader system attribute overrides it.
        sqs.sendMessage(url, OutgoingMessage.of("single"), header);
        sqs.sendMessageBatch(
                url,
                List.of(
                        new SendBatchEntry("plain", OutgoingMessage.of("batched")),
                        new SendBatchEntry("own", OutgoingMessage.of("own").withAwsTraceHeader(own))),
                header);

        var received = receiveAll(url, 3, ReceiveRequest.upTo(10).attributeNames("AWSTraceHeader"));
        var traceByBody = new java.util.HashMap<String, String>();
        received.forEach(
                message -> traceByBody.put(message.body(), message.attributes().get("AWSTraceHeader")));
        assertThat(traceByBody).isEqualTo(Map.of("single", header, "batched", header, "own", own));
    }

    // SendMessageBatch

    @Test
    void sendMessageBatchSendsEveryEntry() {
        String url = newQueue("batch");
        var attributes = Map.of("kind", MessageAttribute.string("batched"));
        var entries = List.of(
                new SendBatchEntry("plain", OutgoingMessage.of("one")),
                new SendBatchEntry("with_attributes", OutgoingMessage.of("two").withAttributes(attributes)),
                new SendBatchEntry(
                        "traced-3",
                        OutgoingMessage.of("three").withAwsTraceHeader("Root=1-00000000-000000000000000000000003")));

        var result = sqs.sendMessageBatch(url, entries);

        assertThat(result.failed()).isEmpty();
        var byId = result.successful().stream().collect(Collectors.toMap(SentBatchEntry::id, SentBatchEntry::sent));
        assertThat(byId).containsOnlyKeys("plain", "with_attributes", "traced-3");
        assertThat(byId.get("plain").md5OfMessageBody()).isEqualTo(MessageMd5.ofBody("one"));
        assertThat(byId.get("plain").md5OfMessageAttributes()).isNull();
        assertThat(byId.get("with_attributes").md5OfMessageAttributes()).isEqualTo(MessageMd5.ofAttributes(attributes));
        assertThat(byId.get("traced-3").md5OfMessageSystemAttributes())
                .isEqualTo(MessageMd5.ofTraceHeader("Root=1-00000000-000000000000000000000003"));
        var received = receiveAll(url, 3, ReceiveRequest.upTo(10));
        assertThat(received).extracting(ReceivedMessage::body).containsExactlyInAnyOrder("one", "two", "three");
        assertThat(received)
                .extracting(ReceivedMessage::messageId)
                .containsExactlyInAnyOrderElementsOf(
                        byId.values().stream().map(SentMessage::messageId).toList());
    }

    @Test
    void sendMessageBatchReportsABadEntryAsFailedAndSendsTheRest() {
        String url = newQueue("batchfail");
        var entries = List.of(
                new SendBatchEntry("ok-1", OutgoingMessage.of("fine")),
                new SendBatchEntry("bad", OutgoingMessage.of("nul \u0000 inside")),
                new SendBatchEntry("ok-2", OutgoingMessage.of("also fine")));

        var result = sqs.sendMessageBatch(url, entries);

        // HTTP 200 with the failure in Failed[]. The per-entry code for invalid characters is taken to be the one
        // SendMessage uses; unverified against real SQS.
        assertThat(result.successful()).extracting(SentBatchEntry::id).containsExactlyInAnyOrder("ok-1", "ok-2");
        assertThat(result.failed()).hasSize(1);
        var failure = result.failed().get(0);
        assertThat(failure.id()).isEqualTo("bad");
        assertThat(failure.senderFault()).isTrue();
        assertThat(failure.code()).isEqualTo("InvalidMessageContents");
        assertThat(receiveAll(url, 2, ReceiveRequest.upTo(10)))
                .extracting(ReceivedMessage::body)
                .containsExactlyInAnyOrder("fine", "also fine");
    }

    @Test
    void sendMessageBatchRejectsAnEmptyBatch() {
        String url = newQueue("emptybatch");

        assertError(() -> sqs.sendMessageBatch(url, List.of()), "AWS.SimpleQueueService.EmptyBatchRequest", 400);
    }

    @Test
    void sendMessageBatchRejectsMoreThanTenEntries() {
        String url = newQueue("bigbatch");

        assertError(
                () -> sqs.sendMessageBatch(url, sendEntries(11)),
                "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                400);
        assertThat(counts(url)).containsEntry("ApproximateNumberOfMessages", "0");
    }

    @Test
    void sendMessageBatchRejectsDuplicateEntryIds() {
        String url = newQueue("dupbatch");
        var entries = List.of(
                new SendBatchEntry("same", OutgoingMessage.of("a")),
                new SendBatchEntry("same", OutgoingMessage.of("b")));

        assertError(() -> sqs.sendMessageBatch(url, entries), "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400);
    }

    static Stream<String> invalidBatchEntryIds() {
        // SQS: up to 80 characters of [A-Za-z0-9_-].
        return Stream.of("has space", "dot.id", "colon:id", "i".repeat(81));
    }

    @ParameterizedTest
    @MethodSource("invalidBatchEntryIds")
    void sendMessageBatchRejectsAnInvalidEntryId(String id) {
        String url = newQueue("badid");

        assertError(
                () -> sqs.sendMessageBatch(url, List.of(new SendBatchEntry(id, OutgoingMessage.of("x")))),
                "AWS.SimpleQueueService.InvalidBatchEntryId",
                400);
    }

    @Test
    void aBatchEntryOverTheSizeLimitFailsWithItsOwnWording() {
        String url = newQueue("batchsize", Map.of("MaximumMessageSize", "1024"));

        var result = sqs.sendMessageBatch(
                url,
                List.of(
                        new SendBatchEntry("fits", OutgoingMessage.of("a".repeat(1024))),
                        new SendBatchEntry("over", OutgoingMessage.of("a".repeat(1025)))));

        // Recorded against AWS in LocalStack's test_send_batch_message_size.
        assertThat(result.successful()).extracting(SentBatchEntry::id).containsExactly("fits");
        assertThat(result.failed()).singleElement().satisfies(failure -> {
            assertThat(failure.id()).isEqualTo("over");
            assertThat(failure.code()).isEqualTo("InvalidParameterValue");
            assertThat(failure.message())
                    .isEqualTo("One or more parameters cannot be validated. Reason: Message must be shorter than 1024"
                            + " bytes.");
        });
    }

    @Test
    void sendMessageBatchRejectsMoreThanOneMebibyteInTotal() {
        String url = newQueue("longbatch");
        String body = "x".repeat(600 * 1024);
        var entries = List.of(
                new SendBatchEntry("first", OutgoingMessage.of(body)),
                new SendBatchEntry("second", OutgoingMessage.of(body)));

        assertError(() -> sqs.sendMessageBatch(url, entries), "AWS.SimpleQueueService.BatchRequestTooLong", 400);
        assertThat(counts(url)).containsEntry("ApproximateNumberOfMessages", "0");
    }

    // ReceiveMessage

    @ParameterizedTest
    @ValueSource(ints = {0, 11})
    void receiveRejectsMaxNumberOfMessagesOutsideOneToTen(int max) {
        String url = newQueue("badmax");

        assertError(() -> sqs.receiveMessage(url, ReceiveRequest.upTo(max)), "InvalidParameterValue", 400);
    }

    @Test
    void receiveWithoutMaxNumberOfMessagesReturnsOneMessage() {
        String url = newQueue("one");
        sendAll(url, 3);

        assertThat(sqs.receiveMessage(url, ReceiveRequest.defaults())).hasSize(1);
    }

    @Test
    void receiveReturnsAtMostTenMessagesAndEachOnlyOnce() {
        String url = newQueue("ten");
        var sent = sendAll(url, 12);

        var first = sqs.receiveMessage(url, ReceiveRequest.upTo(10));
        assertThat(first).hasSizeBetween(1, 10);

        var rest = receiveAll(url, 12 - first.size(), ReceiveRequest.upTo(10));
        var all = new ArrayList<>(first);
        all.addAll(rest);
        assertThat(all).extracting(ReceivedMessage::messageId).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void receiveReturnsEverySystemAttributeForAll() {
        String url = newQueue("sysall");
        long before = System.currentTimeMillis();
        sqs.sendMessage(url, OutgoingMessage.of("stamped"));
        long after = System.currentTimeMillis();

        var message = receiveOne(url, ReceiveRequest.upTo(1).attributeNames("All"));

        var attributes = message.attributes();
        assertThat(attributes)
                .containsKeys(
                        "SenderId", "SentTimestamp", "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp");
        assertThat(attributes.get("SenderId")).isNotBlank();
        assertThat(attributes.get("ApproximateReceiveCount")).isEqualTo("1");
        // Epoch milliseconds, unlike the queue's timestamps.
        long sentTimestamp = Long.parseLong(attributes.get("SentTimestamp"));
        assertThat(sentTimestamp).isBetween(before - 5_000, after + 5_000);
        assertThat(Long.parseLong(attributes.get("ApproximateFirstReceiveTimestamp")))
                .isBetween(sentTimestamp, System.currentTimeMillis() + 5_000);
    }

    @Test
    void receiveReturnsOnlyTheNamedSystemAttributes() {
        String url = newQueue("sysone");
        sqs.sendMessage(url, OutgoingMessage.of("x"));

        var message =
                receiveOne(url, ReceiveRequest.upTo(1).visibilityTimeout(0).attributeNames("SentTimestamp"));
        assertThat(message.attributes()).containsOnlyKeys("SentTimestamp");

        var again = receiveOne(url, ReceiveRequest.upTo(1).attributeNames("SenderId", "ApproximateReceiveCount"));
        assertThat(again.attributes()).containsOnlyKeys("SenderId", "ApproximateReceiveCount");
    }

    @Test
    void receiveHonoursMessageSystemAttributeNames() {
        String url = newQueue("sysnames");
        sqs.sendMessage(url, OutgoingMessage.of("x"));

        var named = receiveOne(
                url,
                ReceiveRequest.upTo(1)
                        .visibilityTimeout(0)
                        .systemAttributeNames("ApproximateReceiveCount", "SenderId"));
        assertThat(named.attributes()).containsOnlyKeys("ApproximateReceiveCount", "SenderId");

        var all = receiveOne(url, ReceiveRequest.upTo(1).systemAttributeNames("All"));
        assertThat(all.attributes())
                .containsKeys(
                        "SenderId", "SentTimestamp", "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp");
    }

    @Test
    void approximateReceiveCountGrowsWithEveryReceive() {
        String url = newQueue("count");
        sqs.sendMessage(url, OutgoingMessage.of("again and again"));
        var request = ReceiveRequest.upTo(1).visibilityTimeout(0).attributeNames("All");

        var first = receiveOne(url, request);
        var second = receiveOne(url, request);

        assertThat(second.messageId()).isEqualTo(first.messageId());
        assertThat(first.approximateReceiveCount()).isEqualTo(1);
        assertThat(second.approximateReceiveCount()).isEqualTo(2);
        assertThat(second.attributes().get("ApproximateFirstReceiveTimestamp"))
                .isEqualTo(first.attributes().get("ApproximateFirstReceiveTimestamp"));
        // DeleteMessage API reference: "If you receive the same message more than once, you will get a different
        // ReceiptHandle each time."
        assertThat(second.receiptHandle()).isNotEqualTo(first.receiptHandle());
    }

    @Test
    void receiveReturnsOnlyTheRequestedMessageAttributesWithTheirMd5() {
        // The names mirror a case LocalStack recorded against real SQS: the MD5 covers only the returned attributes,
        // and is absent when none are returned.
        var attributes = Map.of(
                "Hello", MessageAttribute.string("There"),
                "Help.Me", MessageAttribute.string("Me"),
                "General", MessageAttribute.string("Kenobi"));
        String url = newQueue("filter");
        sqs.sendMessage(url, OutgoingMessage.of("msg").withAttributes(attributes));
        var request = ReceiveRequest.upTo(1).visibilityTimeout(0);

        var none = receiveOne(url, request);
        assertThat(none.messageAttributes()).isEmpty();
        assertThat(none.md5OfMessageAttributes()).isNull();

        for (String all : List.of("All", ".*")) {
            var message = receiveOne(url, request.messageAttributeNames(all));
            assertThat(message.messageAttributes()).as(all).isEqualTo(attributes);
            assertThat(message.md5OfMessageAttributes()).as(all).isEqualTo(MessageMd5.ofAttributes(attributes));
        }

        var prefixed = receiveOne(url, request.messageAttributeNames("Hel.*"));
        var expected = Map.of("Hello", attributes.get("Hello"), "Help.Me", attributes.get("Help.Me"));
        assertThat(prefixed.messageAttributes()).isEqualTo(expected);
        assertThat(prefixed.md5OfMessageAttributes()).isEqualTo(MessageMd5.ofAttributes(expected));

        var exact = receiveOne(url, request.messageAttributeNames("General", "NoSuchName"));
        assertThat(exact.messageAttributes()).isEqualTo(Map.of("General", attributes.get("General")));

        // Recorded against AWS in LocalStack's test_receive_message_message_attribute_names_filters: "*" is all too.
        var star = receiveOne(url, request.messageAttributeNames("*"));
        assertThat(star.messageAttributes()).isEqualTo(attributes);

        var unknown = receiveOne(url, request.messageAttributeNames("NoSuchName"));
        assertThat(unknown.messageAttributes()).isEmpty();
        assertThat(unknown.md5OfMessageAttributes()).isNull();
    }

    @Test
    void aReceivedMessageIsNotReceivedAgainWithinItsVisibilityTimeout() {
        String url = newQueue("invisible");
        sqs.sendMessage(url, OutgoingMessage.of("once"));

        receiveOne(url, ReceiveRequest.upTo(1));

        assertThat(sqs.receiveMessage(url, ReceiveRequest.upTo(10))).isEmpty();
        assertCounts(url, 0, 1, 0);
    }

    @Test
    void aMessageReappearsWhenTheVisibilityTimeoutOfItsReceiveRunsOut() {
        String url = newQueue("reappear");
        sqs.sendMessage(url, OutgoingMessage.of("boomerang"));
        long receivedAt = System.nanoTime();

        var first = receiveOne(url, ReceiveRequest.upTo(1).visibilityTimeout(1));
        assertThat(sqs.receiveMessage(url, ReceiveRequest.upTo(1))).isEmpty();

        var again =
                awaitMessage(url, Duration.ofSeconds(5), ReceiveRequest.upTo(1).attributeNames("All"));
        assertThat(millisSince(receivedAt)).isGreaterThanOrEqualTo(900);
        assertThat(again.messageId()).isEqualTo(first.messageId());
        assertThat(again.approximateReceiveCount()).isEqualTo(2);
    }

    @Test
    void longPollingReturnsAsSoonAsAMessageArrives() throws Exception {
        String url = newQueue("longpoll");
        var sender = Executors.newSingleThreadScheduledExecutor();
        try {
            sender.schedule(() -> sqs.sendMessage(url, OutgoingMessage.of("awaited")), 500, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();

            var messages = sqs.receiveMessage(url, ReceiveRequest.upTo(1).waitTimeSeconds(5));

            assertThat(messages).extracting(ReceivedMessage::body).containsExactly("awaited");
            assertThat(millisSince(start)).isLessThan(3_000);
        } finally {
            sender.shutdown();
            sender.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void longPollingOnAnEmptyQueueReturnsNothingAfterTheWaitTime() {
        String url = newQueue("emptypoll");
        long start = System.nanoTime();

        assertThat(sqs.receiveMessage(url, ReceiveRequest.upTo(1).waitTimeSeconds(1)))
                .isEmpty();

        assertThat(millisSince(start)).isBetween(900L, 4_000L);
    }

    @Test
    void theQueueReceiveMessageWaitTimeSecondsIsTheDefaultWaitTime() {
        String url = newQueue("queuewait", Map.of("ReceiveMessageWaitTimeSeconds", "1"));
        long start = System.nanoTime();

        assertThat(sqs.receiveMessage(url, ReceiveRequest.defaults())).isEmpty();

        assertThat(millisSince(start)).isBetween(900L, 4_000L);
    }

    @Test
    void receiveRejectsWaitTimeSecondsAboveTwenty() {
        String url = newQueue("badwait");

        assertError(
                () -> sqs.receiveMessage(url, ReceiveRequest.upTo(1).waitTimeSeconds(21)),
                "InvalidParameterValue",
                400);
    }

    // DeleteMessage and DeleteMessageBatch

    @Test
    void deleteMessageRemovesTheMessageForGood() {
        String url = newQueue("delmsg");
        sqs.sendMessage(url, OutgoingMessage.of("bye"));
        // VisibilityTimeout=0 leaves the message visible, so only the delete can keep it from coming back.
        var message = receiveOne(url, ReceiveRequest.upTo(1).visibilityTimeout(0));

        sqs.deleteMessage(url, message.receiptHandle());

        assertThat(sqs.receiveMessage(url, ReceiveRequest.upTo(10))).isEmpty();
        assertCounts(url, 0, 0, 0);
    }

    @Test
    void deleteMessageWithAnInvalidReceiptHandleFailsWithReceiptHandleIsInvalid() {
        String url = newQueue("badhandle");

        assertError(() -> sqs.deleteMessage(url, "not-a-receipt-handle"), "ReceiptHandleIsInvalid", 404);
    }

    @Test
    void deleteMessageBatchDeletesValidEntriesAndReportsInvalidHandles() {
        String url = newQueue("delbatch");
        sendAll(url, 2);
        var received = receiveAll(url, 2, ReceiveRequest.upTo(10).visibilityTimeout(300));

        var result = sqs.deleteMessageBatch(
                url,
                List.of(
                        new DeleteEntry("first", received.get(0).receiptHandle()),
                        new DeleteEntry("second", received.get(1).receiptHandle()),
                        new DeleteEntry("bogus", "not-a-receipt-handle")));

        assertThat(result.successful()).containsExactlyInAnyOrder("first", "second");
        assertThat(result.failed()).singleElement().satisfies(failure -> {
            assertThat(failure.id()).isEqualTo("bogus");
            assertThat(failure.code()).isEqualTo("ReceiptHandleIsInvalid");
            assertThat(failure.senderFault()).isTrue();
        });
        assertCounts(url, 0, 0, 0);
    }

    // ChangeMessageVisibility and ChangeMessageVisibilityBatch

    @Test
    void changeMessageVisibilityToZeroMakesTheMessageVisibleAtOnce() {
        String url = newQueue("cmvzero");
        sqs.sendMessage(url, OutgoingMessage.of("back"));
        var first = receiveOne(url, ReceiveRequest.upTo(1).visibilityTimeout(300));
        assertThat(sqs.receiveMessage(url, ReceiveRequest.upTo(1))).isEmpty();

        sqs.changeMessageVisibility(url, first.receiptHandle(), 0);

        var again = receiveOne(url, ReceiveRequest.upTo(1).attributeNames("ApproximateReceiveCount"));
        assertThat(again.messageId()).isEqualTo(first.messageId());
        assertThat(again.approximateReceiveCount()).isEqualTo(2);
    }

    @Test
    void changeMessageVisibilityExtendsTheTimeoutCountingFromTheCall() throws InterruptedException {
        String url = newQueue("cmvextend");
        sqs.sendMessage(url, OutgoingMessage.of("busy"));
        var message = receiveOne(url, ReceiveRequest.upTo(1).visibilityTimeout(1));

        sqs.changeMessageVisibility(url, message.receiptHandle(), 30);

        Thread.sleep(1_500);
        assertThat(sqs.receiveMessage(url, ReceiveRequest.upTo(1))).isEmpty();
        assertThat(counts(url)).containsEntry("ApproximateNumberOfMessagesNotVisible", "1");
    }

    @Test
    void changeMessageVisibilityWithAnExpiredHandleSucceedsAndChangesNothing() {
        String url = newQueue("cmvnotinflight");
        sqs.sendMessage(url, OutgoingMessage.of("visible"));
        // Received with VisibilityTimeout=0: the handle is the latest one, but the message is visible again.
        var message = receiveOne(url, ReceiveRequest.upTo(1).visibilityTimeout(0));

        // Real SQS answers 200 and does nothing for a handle whose timeout has expired (LocalStack's AWS-validated
        // test, PR #9632), although the API reference lists MessageNotInflight. The message must stay visible.
        sqs.changeMessageVisibility(url, message.receiptHandle(), 60);
        assertThat(receiveOne(url, ReceiveRequest.upTo(1)).messageId()).isEqualTo(message.messageId());
    }

    @Test
    void changeMessageVisibilityWithTheHandleOfAnEarlierReceiveApplies() {
        String url = newQueue("cmvold");
        sqs.sendMessage(url, OutgoingMessage.of("twice"));
        var first = receiveOne(url, ReceiveRequest.upTo(1).visibilityTimeout(0));
        receiveOne(url, ReceiveRequest.upTo(1).visibilityTimeout(300));

        // AWS makes the message visible with the first handle after the second was issued (the reproduction).
        sqs.changeMessageVisibility(url, first.receiptHandle(), 0);

        var again = receiveOne(url, ReceiveRequest.upTo(1).attributeNames("ApproximateReceiveCount"));
        assertThat(again.messageId()).isEqualTo(first.messageId());
        assertThat(again.approximateReceiveCount()).isEqualTo(3);
    }

    @Test
    void changeMessageVisibilityAboveTwelveHoursFailsWithInvalidParameterValue() {
        String url = newQueue("cmvmax");
        sqs.sendMessage(url, OutgoingMessage.of("x"));
        var message = receiveOne(url, ReceiveRequest.upTo(1).visibilityTimeout(300));

        assertError(
                () -> sqs.changeMessageVisibility(url, message.receiptHandle(), 43_201), "InvalidParameterValue", 400);
    }

    @Test
    void changeMessageVisibilityBatchChangesValidEntriesAndReportsInvalidHandles() {
        String url = newQueue("cmvbatch");
        sendAll(url, 2);
        var received = receiveAll(url, 2, ReceiveRequest.upTo(10).visibilityTimeout(300));

        var result = sqs.changeMessageVisibilityBatch(
                url,
                List.of(
                        new VisibilityEntry("first", received.get(0).receiptHandle(), 0),
                        new VisibilityEntry("second", received.get(1).receiptHandle(), 0),
                        new VisibilityEntry("bogus", "not-a-receipt-handle", 0)));

        assertThat(result.successful()).containsExactlyInAnyOrder("first", "second");
        assertThat(result.failed()).singleElement().satisfies(failure -> {
            assertThat(failure.id()).isEqualTo("bogus");
            assertThat(failure.code()).isEqualTo("ReceiptHandleIsInvalid");
            assertThat(failure.senderFault()).isTrue();
        });
        assertThat(receiveAll(url, 2, ReceiveRequest.upTo(10)))
                .extracting(ReceivedMessage::messageId)
                .containsExactlyInAnyOrderElementsOf(
                        received.stream().map(ReceivedMessage::messageId).toList());
    }

    @Test
    void deleteAndChangeVisibilityBatchesRejectMalformedBatches() {
        // The API reference lists the same four batch errors for DeleteMessageBatch and ChangeMessageVisibilityBatch.
        String url = newQueue("badbatches");
        var eleven = IntStream.range(0, 11).mapToObj(i -> "e" + i).toList();

        assertError(() -> sqs.deleteMessageBatch(url, List.of()), "AWS.SimpleQueueService.EmptyBatchRequest", 400);
        assertError(
                () -> sqs.deleteMessageBatch(
                        url,
                        eleven.stream()
                                .map(id -> new DeleteEntry(id, "h-" + id))
                                .toList()),
                "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                400);
        assertError(
                () -> sqs.deleteMessageBatch(
                        url, List.of(new DeleteEntry("same", "h1"), new DeleteEntry("same", "h2"))),
                "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
                400);
        assertError(
                () -> sqs.deleteMessageBatch(url, List.of(new DeleteEntry("bad id", "h1"))),
                "AWS.SimpleQueueService.InvalidBatchEntryId",
                400);

        assertError(
                () -> sqs.changeMessageVisibilityBatch(url, List.of()),
                "AWS.SimpleQueueService.EmptyBatchRequest",
                400);
        assertError(
                () -> sqs.changeMessageVisibilityBatch(
                        url,
                        eleven.stream()
                                .map(id -> new VisibilityEntry(id, "h-" + id, 0))
                                .toList()),
                "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                400);
        assertError(
                () -> sqs.changeMessageVisibilityBatch(
                        url, List.of(new VisibilityEntry("same", "h1", 0), new VisibilityEntry("same", "h2", 0))),
                "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
                400);
        assertError(
                () -> sqs.changeMessageVisibilityBatch(url, List.of(new VisibilityEntry("bad id", "h1", 0))),
                "AWS.SimpleQueueService.InvalidBatchEntryId",
                400);
    }

    // A queue that does not exist

    Stream<Named<Consumer<String>>> requestsNamingAQueue() {
        return Stream.of(
                Named.of("GetQueueAttributes", url -> sqs.getQueueAttributes(url, List.of("All"))),
                Named.of("SetQueueAttributes", url -> sqs.setQueueAttributes(url, Map.of("VisibilityTimeout", "10"))),
                Named.of("SendMessage", url -> sqs.sendMessage(url, OutgoingMessage.of("x"))),
                Named.of(
                        "SendMessageBatch",
                        url -> sqs.sendMessageBatch(url, List.of(new SendBatchEntry("a", OutgoingMessage.of("x"))))),
                Named.of("ReceiveMessage", url -> sqs.receiveMessage(url, ReceiveRequest.upTo(1))),
                Named.of("PurgeQueue", url -> sqs.purgeQueue(url)),
                Named.of("DeleteQueue", url -> sqs.deleteQueue(url)),
                Named.of("TagQueue", url -> sqs.tagQueue(url, Map.of("k", "v"))),
                Named.of("UntagQueue", url -> sqs.untagQueue(url, List.of("k"))),
                Named.of("ListQueueTags", url -> sqs.listQueueTags(url)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestsNamingAQueue")
    void requestsNamingAMissingQueueFailWithNonExistentQueue(Consumer<String> request) {
        String missing = missingQueueUrl();

        assertError(() -> request.accept(missing), NON_EXISTENT_QUEUE, 400);
    }

    // Helpers

    protected String newQueue(String stem) {
        return newQueue(stem, Map.of());
    }

    protected String newQueue(String stem, Map<String, String> attributes) {
        return sqs.createQueue(queueName(stem), attributes, Map.of());
    }

    /** The URL a queue would have, built from a real queue URL the server returned, with a name nobody created. */
    protected String missingQueueUrl() {
        if (anyQueueUrl == null) {
            anyQueueUrl = newQueue("anchor");
        }
        return anyQueueUrl.substring(0, anyQueueUrl.lastIndexOf('/') + 1) + queueName("missing");
    }

    protected Map<String, String> counts(String url) {
        return sqs.getQueueAttributes(url, COUNTS);
    }

    /** ApproximateNumberOfMessages, …NotVisible and …Delayed, all three at once. */
    protected void assertCounts(String url, int visible, int notVisible, int delayed) {
        assertThat(counts(url))
                .isEqualTo(Map.of(
                        "ApproximateNumberOfMessages", String.valueOf(visible),
                        "ApproximateNumberOfMessagesNotVisible", String.valueOf(notVisible),
                        "ApproximateNumberOfMessagesDelayed", String.valueOf(delayed)));
    }

    /** Sends {@code n} plain messages and returns their message ids. */
    protected List<String> sendAll(String url, int n) {
        return IntStream.range(0, n)
                .mapToObj(i ->
                        sqs.sendMessage(url, OutgoingMessage.of("message " + i)).messageId())
                .toList();
    }

    protected static List<SendBatchEntry> sendEntries(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> new SendBatchEntry("e" + i, OutgoingMessage.of("entry " + i)))
                .toList();
    }

    protected static Map<String, MessageAttribute> attributes(int n) {
        var attributes = new LinkedHashMap<String, MessageAttribute>();
        for (int i = 0; i < n; i++) {
            attributes.put("attr" + i, MessageAttribute.string("value " + i));
        }
        return attributes;
    }

    protected static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }

    protected static long epochSecondsNow() {
        return System.currentTimeMillis() / 1_000;
    }
}
