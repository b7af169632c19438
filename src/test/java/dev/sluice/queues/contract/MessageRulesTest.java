package dev.sluice.queues.contract;

import static dev.sluice.queues.contract.QueuesFixture.attribute;
import static dev.sluice.queues.contract.QueuesFixture.binary;
import static dev.sluice.queues.contract.QueuesFixture.errorOf;
import static dev.sluice.queues.contract.QueuesFixture.join;
import static dev.sluice.queues.contract.QueuesFixture.message;
import static dev.sluice.queues.contract.QueuesFixture.string;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.queues.MessageAttribute;
import dev.sluice.queues.NewMessage;
import dev.sluice.queues.Outcome;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.SentMessage;
import dev.sluice.queues.rules.MessageDigests;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What SendMessage accepts: body characters, attribute names, types and values, and the size limit. */
@QueuesContract
class MessageRulesTest extends QueuesCase {
    private final QueueKey queue;

    MessageRulesTest(Backend backend) {
        super(backend);
        this.queue = sluice.createQueue("orders");
    }

    private QueueError sendFails(NewMessage message) {
        List<Integer> before = sluice.counts(queue);
        QueueError error = errorOf(() -> sluice.queues.send(queue, message));
        assertThat(sluice.counts(queue)).as("a refused message is not stored").isEqualTo(before);
        return error;
    }

    private void sendSucceeds(NewMessage message) {
        sluice.send(queue, message);
        ReceivedMessage received = sluice.receiveOne(queue);
        assertThat(received.body()).isEqualTo(message.body());
        // Compared by value: a backend that stores the bytes gives back equal arrays, not the same ones.
        assertThat(received.messageAttributes()).usingRecursiveComparison().isEqualTo(message.messageAttributes());
    }

    private static NewMessage withAttribute(String name, MessageAttribute value) {
        return message("body", Map.of(name, value));
    }

    @Test
    void emptyBodyIsMissingParameter() {
        assertThat(sendFails(message(""))).isEqualTo(QueueError.MISSING_PARAMETER);
        assertThat(sendFails(message(null))).isEqualTo(QueueError.MISSING_PARAMETER);
    }

    static Stream<String> invalidBodies() {
        return Stream.of(
                "nul \u0000 inside",
                "\u0008",
                "vertical tab \u000B",
                "\u001F",
                "\uFFFE",
                "\uFFFF",
                "lone high surrogate at the end \uD83D",
                "lone high surrogate \uD83D before a letter",
                "lone low surrogate \uDE00",
                "reversed pair \uDE00\uD83D");
    }

    @ParameterizedTest
    @MethodSource("invalidBodies")
    void bodyWithCharacterOutsideXmlRangeIsInvalidMessageContents(String body) {
        assertThat(sendFails(message(body))).isEqualTo(QueueError.INVALID_MESSAGE_CONTENTS);
    }

    static Stream<String> validBodies() {
        return Stream.of(
                "tab\t newline\n return\r",
                " ",
                "\uD7FF\uE000\uFFFD",
                "supplementary \uD800\uDC00 (U+10000)",
                "last code point \uDBFF\uDFFF (U+10FFFF)",
                "emoji \uD83D\uDE00",
                "ünïcödé 漢字");
    }

    @ParameterizedTest
    @MethodSource("validBodies")
    void bodyWithAllowedCharactersIsAccepted(String body) {
        sendSucceeds(message(body));
    }

    @Test
    void invalidCharacterInStringAttributeValueIsInvalidParameterValue() {
        // SQS: InvalidParameterValue, not InvalidMessageContents (recorded against AWS in LocalStack's
        // test_invalid_string_attributes_cause_invalid_parameter_value_error).
        assertThat(sendFails(withAttribute("a", string("bad \u0000")))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(sendFails(withAttribute("a", string("bad \uD83D")))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(sendFails(withAttribute("a", string("Invalid-\u0008,\u000b"))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void bodyWithALoneSurrogateIsInvalidMessageContents() {
        assertThat(sendFails(message("lone \uD800 high"))).isEqualTo(QueueError.INVALID_MESSAGE_CONTENTS);
        assertThat(sendFails(message("lone \uDCFF low"))).isEqualTo(QueueError.INVALID_MESSAGE_CONTENTS);
    }

    @Test
    void sizeLimitCountsBodyAndAttributeNameTypeAndValueBytes() {
        QueueKey small = sluice.createQueue("small", Map.of("MaximumMessageSize", "1024"));
        // name "attr" (4) + type "String.x" (8) + value "vé" (3 bytes) = 15; the body is 2-byte characters.
        Map<String, MessageAttribute> attributes = Map.of("attr", attribute("String.x", "vé"));
        String fits = "é".repeat((1024 - 15) / 2) + "a";
        assertThat(fits.getBytes(StandardCharsets.UTF_8).length + 15).isEqualTo(1024);

        sluice.send(small, message(fits, attributes));
        assertThat(errorOf(() -> sluice.queues.send(small, message(fits + "a", attributes))))
                .isEqualTo(QueueError.MESSAGE_TOO_LONG);
        assertThat(sluice.counts(small)).containsExactly(1, 0, 0);
    }

    @Test
    void sizeLimitCountsBinaryAttributeBytes() {
        QueueKey small = sluice.createQueue("small", Map.of("MaximumMessageSize", "1024"));
        // name "bin" (3) + type "Binary" (6) + 15 raw bytes = 24.
        Map<String, MessageAttribute> attributes = Map.of("bin", binary(new byte[15]));

        sluice.send(small, message("a".repeat(1000), attributes));
        assertThat(errorOf(() -> sluice.queues.send(small, message("a".repeat(1001), attributes))))
                .isEqualTo(QueueError.MESSAGE_TOO_LONG);
    }

    @Test
    void sizeLimitOfABodyAloneIsInclusive() {
        QueueKey small = sluice.createQueue("small", Map.of("MaximumMessageSize", "1024"));

        sluice.send(small, "a".repeat(1024));
        assertThat(errorOf(() -> sluice.queues.send(small, message("a".repeat(1025)))))
                .isEqualTo(QueueError.MESSAGE_TOO_LONG);
    }

    @Test
    void defaultMaximumMessageSizeIsOneMebibyte() {
        sluice.send(queue, "a".repeat(1_048_576));
        assertThat(sendFails(message("a".repeat(1_048_577)))).isEqualTo(QueueError.MESSAGE_TOO_LONG);
    }

    @Test
    void tenAttributesAreAcceptedEleventIsRejected() {
        Map<String, MessageAttribute> ten = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            ten.put("a" + i, string("v"));
        }
        sendSucceeds(message("body", ten));

        Map<String, MessageAttribute> eleven = new LinkedHashMap<>(ten);
        eleven.put("a10", string("v"));
        assertThat(sendFails(message("body", eleven))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    static Stream<String> invalidAttributeNames() {
        return Stream.of(
                "AWS.reserved",
                "aws.reserved",
                "Aws.Reserved",
                "Amazon.reserved",
                "amazon.reserved",
                "AMAZON.RESERVED",
                ".leading",
                "trailing.",
                "double..dot",
                ".",
                "has space",
                "slash/name",
                "colon:name",
                "Invalid-§-attr",
                "Invalid-!-attr",
                "",
                "n".repeat(257));
    }

    @ParameterizedTest
    @MethodSource("invalidAttributeNames")
    void invalidAttributeNameIsRejected(String name) {
        assertThat(sendFails(withAttribute(name, string("v")))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    static Stream<String> validAttributeNames() {
        // Letters of any script are valid (recorded against AWS in LocalStack's
        // test_send_message_with_invalid_string_attributes).
        return Stream.of(
                "a", "A-b_c.d", "AWSish", "Amazonia", "my.aws.thing", "x9", "n".repeat(256), "attr.1øßä", "名前");
    }

    @ParameterizedTest
    @MethodSource("validAttributeNames")
    void validAttributeNameIsAccepted(String name) {
        sendSucceeds(withAttribute(name, string("v")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"string", "STRING", "Str", "Integer", "String.", "Numeric", "Binaryx", " String"})
    void invalidAttributeTypeIsRejected(String dataType) {
        assertThat(sendFails(withAttribute("a", attribute(dataType, "1"))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"String.\u0001", "Number.a\u001Bb", "Binary.\uFFFE", "String.\uD800"})
    void attributeTypeWithACharacterXmlCannotCarryIsRejected(String dataType) {
        MessageAttribute value = dataType.startsWith("Binary")
                ? new MessageAttribute(dataType, null, new byte[] {1})
                : attribute(dataType, "1");
        NewMessage message = withAttribute("a", value);

        assertThat(sendFails(message)).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void missingAttributeTypeIsRejected() {
        assertThat(sendFails(withAttribute("a", attribute("", "1")))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(sendFails(withAttribute("a", attribute(null, "1")))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void customTypesAreAccepted() {
        Map<String, MessageAttribute> attributes = Map.of(
                "price", attribute("Number.float", "1.5"),
                "label", attribute("String.custom-label", "x"),
                "image", new MessageAttribute("Binary.gif", null, new byte[] {1, 2}));

        sendSucceeds(message("body", attributes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "1.2.3", "1,5", "0x10", "NaN", "Infinity"})
    void numberThatIsNotANumberIsRejected(String value) {
        assertThat(sendFails(withAttribute("n", attribute("Number", value))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(sendFails(withAttribute("n", attribute("Number.int", value))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-42", "3.14159", "1e10", "-1.5E-7", "12345678901234567890123456789012345678"})
    void numbersAreAccepted(String value) {
        sendSucceeds(withAttribute("n", attribute("Number", value)));
    }

    @Test
    void binaryWithoutBytesIsRejected() {
        assertThat(sendFails(withAttribute("b", new MessageAttribute("Binary", null, null))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(sendFails(withAttribute("b", new MessageAttribute("Binary", null, new byte[0]))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(sendFails(withAttribute("b", new MessageAttribute("Binary", "text", null))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void stringWithoutValueIsRejected() {
        assertThat(sendFails(withAttribute("s", string("")))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(sendFails(withAttribute("s", string(null)))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(sendFails(withAttribute("s", new MessageAttribute("String", null, new byte[] {1}))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void onlyAwsTraceHeaderIsAcceptedAsSystemAttribute() {
        NewMessage traced = new NewMessage(
                "body", Map.of(), Map.of("AWSTraceHeader", string("Root=1-abc")), Optional.empty(), "sender");
        NewMessage other =
                new NewMessage("body", Map.of(), Map.of("SenderId", string("me")), Optional.empty(), "sender");
        NewMessage binaryTrace = new NewMessage(
                "body", Map.of(), Map.of("AWSTraceHeader", binary((byte) 1)), Optional.empty(), "sender");

        SentMessage sent = sluice.send(queue, traced);
        assertThat(sent.md5OfMessageSystemAttributes()).isNotNull();
        assertThat(errorOf(() -> sluice.queues.send(queue, other))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> sluice.queues.send(queue, binaryTrace))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void systemAttributesDoNotCountTowardsTheSizeLimit() {
        QueueKey small = sluice.createQueue("small", Map.of("MaximumMessageSize", "1024"));
        NewMessage traced = new NewMessage(
                "a".repeat(1024),
                Map.of(),
                Map.of("AWSTraceHeader", string("Root=" + "1".repeat(200))),
                Optional.empty(),
                "sender");

        sluice.send(small, traced);

        assertThat(sluice.counts(small)).containsExactly(1, 0, 0);
    }

    @Test
    void sendBatchWithOneInvalidEntryStoresTheOthers() {
        List<Outcome<SentMessage>> outcomes = join(sluice.queues.sendBatch(
                queue, List.of(message("first"), message("bad \u0000"), message("third"), message(""))));

        assertThat(outcomes).extracting(Outcome::succeeded).containsExactly(true, false, true, false);
        assertThat(outcomes.get(1).failure().error()).isEqualTo(QueueError.INVALID_MESSAGE_CONTENTS);
        assertThat(outcomes.get(3).failure().error()).isEqualTo(QueueError.MISSING_PARAMETER);
        assertThat(outcomes.get(0).value().md5OfMessageBody()).isEqualTo(MessageDigests.ofBody("first"));
        assertThat(outcomes.get(0).value().messageId())
                .isNotEqualTo(outcomes.get(2).value().messageId());
        assertThat(sluice.receive(queue, 10))
                .extracting(r -> r.messageId())
                .containsExactly(
                        outcomes.get(0).value().messageId(),
                        outcomes.get(2).value().messageId());
    }

    @Test
    void sendBatchWithOnlyInvalidEntriesStoresNothing() {
        List<Outcome<SentMessage>> outcomes = join(sluice.queues.sendBatch(queue, List.of(message(""))));

        assertThat(outcomes).extracting(Outcome::succeeded).containsExactly(false);
        assertThat(sluice.counts(queue)).containsExactly(0, 0, 0);
    }

    @Test
    void sendToMissingQueueIsQueueNotFound() {
        assertThat(errorOf(() -> sluice.queues.send(QueuesFixture.key("missing"), message("x"))))
                .isEqualTo(QueueError.QUEUE_NOT_FOUND);
    }

    @Test
    void sentMessageKeepsWhatWasSent() {
        sluice.clock.advanceSeconds(7);
        SentMessage sent = sluice.send(queue, message("body", Map.of("a", string("v"))));

        ReceivedMessage received = sluice.receiveOne(queue);

        assertThat(received.messageId()).isEqualTo(sent.messageId());
        assertThat(received.senderId()).isEqualTo("sender");
        assertThat(received.sentTimestamp().toEpochMilli())
                .isEqualTo(sluice.clock.instant().toEpochMilli());
        assertThat(received.md5OfBody()).isEqualTo(sent.md5OfMessageBody());
        assertThat(received.md5OfMessageAttributes()).isEqualTo(sent.md5OfMessageAttributes());
    }

    @Test
    void sendAndReceiveReportTheDigests() {
        QueueKey queue = sluice.createQueue("digests");
        Map<String, MessageAttribute> attributes = Map.of("timestamp", attribute("Number", "1493147359900"));
        NewMessage traced = new NewMessage(
                "hello",
                attributes,
                Map.of("AWSTraceHeader", string("Root=1-5759e988-bd862e3fe1be46a994272793")),
                Optional.empty(),
                "sender");

        SentMessage sent = sluice.send(queue, traced);
        SentMessage plain = sluice.send(queue, message("hello"));

        assertThat(sent.md5OfMessageBody()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        assertThat(sent.md5OfMessageAttributes()).isEqualTo("235c5c510d26fb653d073faed50ae77c");
        assertThat(sent.md5OfMessageSystemAttributes())
                .isEqualTo(MessageDigests.ofAttributes(traced.systemAttributes()));
        assertThat(plain.md5OfMessageAttributes()).isNull();
        assertThat(plain.md5OfMessageSystemAttributes()).isNull();
        List<ReceivedMessage> received = sluice.receive(queue, 10);
        assertThat(received).extracting(ReceivedMessage::md5OfBody).containsOnly("5d41402abc4b2a76b9719d911017c592");
        assertThat(received)
                .extracting(ReceivedMessage::md5OfMessageAttributes)
                .containsExactly("235c5c510d26fb653d073faed50ae77c", null);
    }
}
