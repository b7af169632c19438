package dev.sluice.queues.rules;

import dev.sluice.queues.QueueKey;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A queue ARN, {@code arn:<partition>:sqs:<region>:<account>:<name>}: the queue it names, in its region. */
public record QueueArn(QueueKey key) {
    private static final Pattern ARN = Pattern.compile("arn:aws[\\w-]*:sqs:([\\w-]*):(\\d{12}):([\\w.-]{1,80})");

    /** The ARN, or null if the text is not a queue ARN. */
    public static QueueArn parse(String text) {
        Matcher matcher = text == null ? null : ARN.matcher(text);
        if (matcher == null || !matcher.matches()) {
            return null;
        }
        return new QueueArn(new QueueKey(matcher.group(1), matcher.group(2), matcher.group(3)));
    }

    /** The ARN of a queue: {@code arn:aws:sqs:<region>:<account>:<name>}. */
    public static String of(QueueKey key) {
        return "arn:aws:sqs:" + key.region() + ":" + key.accountId() + ":" + key.name();
    }
}
