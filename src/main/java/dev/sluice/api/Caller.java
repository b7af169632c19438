package dev.sluice.api;

import dev.sluice.queues.QueueKey;
import java.net.URI;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Who sent a request and how they reached us: their account, the base URL queue URLs are built on (configured, or the
 * request's own scheme and Host, so URLs work inside Docker networks), the queue URL the request path named, if any
 * (requests may be posted to the queue URL itself), and the connection's facts that queue policies can test (the
 * source address, null if not known, and whether it came over TLS). Every queue a handler works on through
 * {@link #withQueue} passes the caller's {@link QueueAccess} for the action being run, so no handler can forget the
 * check.
 */
public record Caller(
        String accountId,
        String baseUrl,
        String pathQueueUrl,
        String region,
        String sourceIp,
        boolean secureTransport,
        QueueAccess access,
        String action) {
    // Compiled once: every request that names a queue goes through queueKey().
    private static final Pattern EDGE_SLASHES = Pattern.compile("^/+|/+$");
    private static final Pattern SLASHES = Pattern.compile("/+");

    /** A caller who may use every queue (the {@code open} auth mode), over a connection not described. */
    public Caller(String accountId, String baseUrl, String pathQueueUrl, String region) {
        this(accountId, baseUrl, pathQueueUrl, region, null, false, QueueAccess.ANY, null);
    }

    /** The same caller running the action, so queue access is checked for it. */
    public Caller acting(String value) {
        return new Caller(accountId, baseUrl, pathQueueUrl, region, sourceIp, secureTransport, access, value);
    }

    /**
     * Runs {@code action} on the queue a request names, from its QueueUrl member or else its path, once the caller may
     * use it for the current action; else the stage fails with AccessDenied.
     */
    public <T> CompletionStage<T> withQueue(String queueUrl, Function<QueueKey, CompletionStage<T>> action) {
        return withQueue(queueKey(queueUrl), action);
    }

    /** Runs {@code action} on the queue once the caller may run the current action on it; else AccessDenied. */
    public <T> CompletionStage<T> withQueue(QueueKey key, Function<QueueKey, CompletionStage<T>> action) {
        CompletionStage<Void> checked = access.check(this, key);
        return checked == QueueAccess.ALLOWED ? action.apply(key) : checked.thenCompose(allowed -> action.apply(key));
    }

    /** The queue a request names, unchecked: for logs. */
    public QueueKey queueKey(String queueUrl) {
        String url = queueUrl != null ? queueUrl : pathQueueUrl;
        if (url == null || url.isEmpty()) {
            throw AwsErrors.missingParameter("QueueUrl");
        }
        QueueKey plain = plainQueueKey(url);
        return plain != null ? plain : queueKeyByUri(url);
    }

    /**
     * The queue of a URL in the form every client sends, {@code scheme://authority/account/name} with the segments
     * made of name characters only, without a URI parse or regular expression: the same key {@link #queueKeyByUri}
     * gives such a URL, or null for anything else. Whether the part before the path is a valid authority is checked
     * by a URI parse once and remembered (the last one seen: nearly all requests name the same host).
     */
    static QueueKey plainQueueKey(String url) {
        int schemeEnd = url.indexOf("://");
        if (schemeEnd <= 0) {
            return null;
        }
        int pathStart = url.indexOf('/', schemeEnd + 3);
        if (pathStart < 0) {
            return null;
        }
        int middle = url.indexOf('/', pathStart + 1);
        if (middle < 0 || !isNameSegment(url, pathStart + 1, middle) || !isNameSegment(url, middle + 1, url.length())) {
            return null;
        }
        String origin = url.substring(0, pathStart);
        if (!origin.equals(plainOrigin)) {
            if (!isPlainOrigin(origin)) {
                return null;
            }
            plainOrigin = origin;
        }
        return new QueueKey(url.substring(pathStart + 1, middle), url.substring(middle + 1));
    }

    /** The last scheme and authority known to parse on their own, with no path, query or fragment. */
    private static volatile String plainOrigin;

    private static boolean isPlainOrigin(String origin) {
        if (origin.indexOf('?') >= 0 || origin.indexOf('#') >= 0) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            return uri.getRawPath() != null
                    && uri.getRawPath().isEmpty()
                    && uri.getRawQuery() == null
                    && uri.getRawFragment() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether {@code url[start, end)} is non-empty and made of queue name characters (and dots), nothing to decode. */
    private static boolean isNameSegment(String url, int start, int end) {
        if (start >= end) {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = url.charAt(i);
            if (!(c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '_'
                    || c == '-'
                    || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** The general case of {@link #queueKey}: any URL or path, parsed as a URI. */
    QueueKey queueKeyByUri(String url) {
        String path;
        try {
            path = url.contains("://") ? URI.create(url).getRawPath() : url;
        } catch (IllegalArgumentException e) {
            throw invalidAddress(url);
        }
        String[] segments = path == null
                ? new String[0]
                : SLASHES.split(EDGE_SLASHES.matcher(path).replaceAll(""));
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
