package dev.sluice.queues.rules;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** The rules of CreateQueue that are about a queue's name (CreateQueue API reference). */
public final class QueueNames {
    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final String FIFO_SUFFIX = ".fifo";

    private QueueNames() {}

    /** SQS queue names: 1 to 80 of [A-Za-z0-9_-], FIFO ones ending in .fifo (which counts toward the 80). */
    public static void validate(String name, boolean fifo) {
        if (fifo) {
            boolean valid = name.endsWith(FIFO_SUFFIX)
                    && name.length() <= 80
                    && QUEUE_NAME
                            .matcher(name.substring(0, name.length() - FIFO_SUFFIX.length()))
                            .matches();
            if (!valid) {
                throw QueueException.invalidParameter("The name of a FIFO queue can only include alphanumeric"
                        + " characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.");
            }
        } else if (!QUEUE_NAME.matcher(name).matches()) {
            throw QueueException.invalidParameter(
                    "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
        }
    }

    /**
     * CreateQueue of a name that exists answers with that queue only if every attribute the request names has the same
     * value there (an unset FifoQueue counts as false); else QueueNameExists.
     */
    public static void requireSameAttributes(
            Map<String, String> requested, QueueSettings asked, QueueSettings existing) {
        for (String name : requested.keySet()) {
            if (!Objects.equals(comparable(asked, name), comparable(existing, name))) {
                throw new QueueException(
                        QueueError.QUEUE_NAME_EXISTS,
                        "A queue already exists with the same name and a different value for attribute " + name);
            }
        }
    }

    private static String comparable(QueueSettings settings, String name) {
        String value = settings.values().get(name);
        return value == null && name.equals(QueueSettings.FIFO_QUEUE) ? "false" : value;
    }
}
