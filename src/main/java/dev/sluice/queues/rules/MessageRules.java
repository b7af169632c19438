package dev.sluice.queues.rules;

import dev.sluice.queues.MessageAttribute;
import dev.sluice.queues.NewMessage;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/** SQS's rules for a message's body, attributes, size and delay (SendMessage API reference; quotas). */
public final class MessageRules {
    /** SQS: at most 10 message attributes. */
    static final int MAX_MESSAGE_ATTRIBUTES = 10;

    private static final int MAX_ATTRIBUTE_NAME_LENGTH = 256;
    /** Letters and digits of any script (recorded against AWS: "attr.1øßä" is valid, "§" is not), _ . and -. */
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[\\p{L}\\p{Nd}_.\\-]+");

    private static final Pattern DATA_TYPE = Pattern.compile("(String|Number|Binary)(\\..+)?");
    private static final String AWS_TRACE_HEADER = "AWSTraceHeader";

    private MessageRules() {}

    /** Checks the message against SQS's rules and returns its size as SQS counts it (body and attributes, bytes). */
    public static long validate(NewMessage message, QueueSettings settings) {
        String body = message.body();
        if (body == null || body.isEmpty()) {
            throw new QueueException(
                    QueueError.MISSING_PARAMETER, "The request must contain the parameter MessageBody.");
        }
        requireAllowedCharacters(body, "message body", QueueError.INVALID_MESSAGE_CONTENTS);
        validateAttributes(message.messageAttributes());
        validateSystemAttributes(message.systemAttributes());
        long size = body.getBytes(StandardCharsets.UTF_8).length + attributesSize(message.messageAttributes());
        if (size > settings.maximumMessageSize()) {
            throw new QueueException(
                    QueueError.MESSAGE_TOO_LONG,
                    "One or more parameters are invalid. Reason: Message must be shorter than "
                            + settings.maximumMessageSize() + " bytes.");
        }
        message.delay().ifPresent(MessageRules::validateDelay);
        return size;
    }

    static void validateDelay(Duration delay) {
        if (delay.isNegative() || delay.compareTo(QueueSettings.MAX_DELAY) > 0) {
            throw QueueException.invalidParameter("Value " + delay.toSeconds()
                    + " for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.");
        }
    }

    /** Bytes the attributes add to the message size: name, data type and value of each (SQS quotas). */
    static long attributesSize(Map<String, MessageAttribute> attributes) {
        long size = 0;
        for (Map.Entry<String, MessageAttribute> entry : attributes.entrySet()) {
            MessageAttribute value = entry.getValue();
            size += entry.getKey().getBytes(StandardCharsets.UTF_8).length;
            size += value.dataType().getBytes(StandardCharsets.UTF_8).length;
            size += value.binaryValue() != null
                    ? value.binaryValue().length
                    : value.stringValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return size;
    }

    private static void validateAttributes(Map<String, MessageAttribute> attributes) {
        if (attributes.size() > MAX_MESSAGE_ATTRIBUTES) {
            throw QueueException.invalidParameter("Number of message attributes [" + attributes.size()
                    + "] exceeds the allowed maximum [" + MAX_MESSAGE_ATTRIBUTES + "].");
        }
        attributes.forEach((name, value) -> {
            validateAttributeName(name);
            validateAttributeValue(name, value, "Message (user) attribute");
        });
    }

    private static void validateSystemAttributes(Map<String, MessageAttribute> attributes) {
        attributes.forEach((name, value) -> {
            if (!AWS_TRACE_HEADER.equals(name)) {
                throw QueueException.invalidParameter("Message system attribute name '" + name + "' is invalid.");
            }
            validateAttributeValue(name, value, "Message system attribute");
            if (!value.dataType().equals("String")) {
                throw QueueException.invalidParameter(
                        "Message system attribute '" + name + "' must be of type String.");
            }
        });
    }

    /** SQS: letters, digits, _ . -, at most 256, no AWS./Amazon. prefix, no leading, trailing or doubled period. */
    private static void validateAttributeName(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        boolean valid = !name.isEmpty()
                && name.length() <= MAX_ATTRIBUTE_NAME_LENGTH
                && ATTRIBUTE_NAME.matcher(name).matches()
                && !lower.startsWith("aws.")
                && !lower.startsWith("amazon.")
                && !name.startsWith(".")
                && !name.endsWith(".")
                && !name.contains("..");
        if (!valid) {
            throw QueueException.invalidParameter("Message (user) attribute name '" + name + "' is invalid.");
        }
    }

    private static void validateAttributeValue(String name, MessageAttribute value, String kind) {
        String dataType = value.dataType();
        if (dataType == null || dataType.isEmpty()) {
            throw QueueException.invalidParameter(
                    kind + " '" + name + "' must contain a non-empty message attribute type.");
        }
        // SQS: a data type "has the same restrictions as the message body" and is at most 256 characters (developer
        // guide, message attribute components): a label with a character XML cannot carry is refused.
        if (dataType.length() > MAX_ATTRIBUTE_NAME_LENGTH
                || !DATA_TYPE.matcher(dataType).matches()
                || !XmlCharacters.allowed(dataType)) {
            throw QueueException.invalidParameter(kind + " '" + name + "' has an invalid message attribute type, "
                    + "the set of supported type prefixes is Binary, Number, and String.");
        }
        if (dataType.startsWith("Binary")) {
            if (value.binaryValue() == null || value.binaryValue().length == 0 || value.stringValue() != null) {
                throw QueueException.invalidParameter(
                        kind + " '" + name + "' must contain a non-empty value of type 'Binary'.");
            }
            return;
        }
        if (value.stringValue() == null || value.stringValue().isEmpty() || value.binaryValue() != null) {
            String type = dataType.startsWith("Number") ? "Number" : "String";
            throw QueueException.invalidParameter(
                    kind + " '" + name + "' must contain a non-empty value of type '" + type + "'.");
        }
        // SQS: InvalidParameterValue for an attribute value, InvalidMessageContents only for the body (recorded
        // against AWS in LocalStack's test_invalid_string_attributes_cause_invalid_parameter_value_error).
        requireAllowedCharacters(
                value.stringValue(),
                kind.toLowerCase(java.util.Locale.ROOT) + " '" + name + "'",
                QueueError.INVALID_PARAMETER_VALUE);
        if (dataType.startsWith("Number")) {
            try {
                new BigDecimal(value.stringValue().trim());
            } catch (NumberFormatException e) {
                throw QueueException.invalidParameter(
                        "Can't cast the value of message (user) attribute '" + name + "' to a number.");
            }
        }
    }

    /** SQS: only the characters of XML 1.0 may appear (SendMessage API reference). */
    private static void requireAllowedCharacters(String text, String where, QueueError error) {
        int invalid = XmlCharacters.firstInvalid(text);
        if (invalid >= 0) {
            throw new QueueException(
                    error,
                    "Invalid binary character '#x"
                            + Integer.toHexString(text.charAt(invalid)).toUpperCase(java.util.Locale.ROOT)
                            + "' was found in the " + where + ", the set of allowed characters is "
                            + XmlCharacters.ALLOWED);
        }
    }
}
