package dev.sluice.queues.rules;

import dev.sluice.queues.QueueKey;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A queue ARN, {@code arn:aws:sqs:<region>:<account>:<name>}; the region is kept but queues are found by key. */
public record QueueArn(String region, QueueKey key) {
    private static final Pattern ARN = Pattern.compile("arn:aws[\\w-]*:sqs:([\\w-]*):(\\d{12}):([\\w.-]{1,80})");

    /** The ARN, or null if the text is not a queue ARN. */
    public static QueueArn parse(String text) {
        Matcher matcher = text == null ? null : ARN.matcher(text);
        if (matcher == null || !matcher.matches()) {
            return null;
        }
        return new QueueArn(matcher.group(1), new QueueKey(matcher.group(2), matcher.group(3)));
    }
}
