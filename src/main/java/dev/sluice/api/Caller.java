package dev.sluice.api;

import dev.sluice.engine.QueueKey;
import java.net.URI;

/**
 * Who sent a request and how they reached us: their account, the base URL queue URLs are built on (configured, or the
 * request's own scheme and Host, so URLs work inside Docker networks), and the queue URL the request path named, if
 * any (requests may be posted to the queue URL itself).
 */
public record Caller(String accountId, String baseUrl, String pathQueueUrl, String region) {

    /** The queue a request names, from its QueueUrl member or else its path. */
    public QueueKey queue(String queueUrl) {
        String url = queueUrl != null ? queueUrl : pathQueueUrl;
        if (url == null || url.isEmpty()) {
            throw AwsErrors.missingParameter("QueueUrl");
        }
        String path;
        try {
            path = url.contains("://") ? URI.create(url).getRawPath() : url;
        } catch (IllegalArgumentException e) {
            throw invalidAddress(url);
        }
        String[] segments =
                path == null ? new String[0] : path.replaceAll("^/+|/+$", "").split("/+");
        return switch (segments.length) {
            case 2 -> new QueueKey(segments[0], segments[1]);
            case 1 -> segments[0].isEmpty() ? throwInvalid(url) : new QueueKey(accountId, segments[0]);
            default -> throwInvalid(url);
        };
    }

    public String queueUrl(QueueKey key) {
        return baseUrl + "/" + key.accountId() + "/" + key.name();
    }

    public String queueArn(QueueKey key) {
        return "arn:aws:sqs:" + region + ":" + key.accountId() + ":" + key.name();
    }

    private static QueueKey throwInvalid(String url) {
        throw invalidAddress(url);
    }

    private static AwsException invalidAddress(String url) {
        return new AwsException(AwsErrors.INVALID_ADDRESS, "The address " + url + " is not valid for this endpoint.");
    }
}
