package dev.sluice.queues.rules;

import dev.sluice.queues.QueueException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** A queue's tags: what TagQueue and UntagQueue make of them, and SQS's tag rules (quotas related to queues). */
public final class Tags {
    private static final int MAX_KEY_LENGTH = 128;
    private static final int MAX_VALUE_LENGTH = 256;
    private static final Pattern TAG_TEXT = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    private Tags() {}

    /**
     * At most {@value SqsLimits#MAX_TAGS}; keys of 1 to 128 and values of up to 256 characters, made of Unicode
     * letters, digits, white space and {@code _ . : / = + - @}; no aws: prefix.
     */
    public static void validate(Map<String, String> tags) {
        if (tags.size() > SqsLimits.MAX_TAGS) {
            throw QueueException.invalidParameter(
                    "Too many tags added for queue. The maximum is " + SqsLimits.MAX_TAGS + ".");
        }
        tags.forEach((tagKey, value) -> {
            if (tagKey == null || tagKey.isEmpty() || tagKey.length() > MAX_KEY_LENGTH) {
                throw QueueException.invalidParameter("Tag keys must be between 1 and 128 characters in length.");
            }
            if (tagKey.toLowerCase(Locale.ROOT).startsWith("aws:")) {
                throw QueueException.invalidParameter("Tag keys must not start with 'aws:'.");
            }
            if (value == null || value.length() > MAX_VALUE_LENGTH) {
                throw QueueException.invalidParameter("Tag values must be between 0 and 256 characters in length.");
            }
            if (!TAG_TEXT.matcher(tagKey).matches() || !TAG_TEXT.matcher(value).matches()) {
                throw QueueException.invalidParameter("Tag keys and values may contain only Unicode letters, digits,"
                        + " white space and the characters _ . : / = + - @");
            }
        });
    }

    /** TagQueue: the queue's tags with {@code added} set (replacing values of the same keys), validated as a whole. */
    public static Map<String, String> tagged(Map<String, String> tags, Map<String, String> added) {
        Map<String, String> merged = new LinkedHashMap<>(tags);
        merged.putAll(added);
        validate(merged);
        return Map.copyOf(merged);
    }

    /** UntagQueue: the queue's tags without {@code keys}; keys it does not have are ignored. */
    public static Map<String, String> untagged(Map<String, String> tags, Collection<String> keys) {
        Map<String, String> remaining = new LinkedHashMap<>(tags);
        keys.forEach(remaining::remove);
        return Map.copyOf(remaining);
    }
}
