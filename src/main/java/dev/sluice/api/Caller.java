package dev.sluice.api;

import dev.sluice.auth.RegionName;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.rules.QueueArn;
import java.net.URI;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Who sent a request and how they reached us: their account, the base URL queue URLs are built on (configured, or the
 * request's own scheme and Host, so URLs work inside Docker networks), the queue URL the request path named, if any
 * (requests may be posted to the queue URL itself), the region the request's credential scope names (null when it
 * names none) and the default region ({@code sluice.region}), and the connection's facts that queue policies can test
 * (the source address, null if not known, and whether it came over TLS). Every queue a handler works on through
 * {@link #withQueue} passes the caller's {@link QueueAccess} for the action being run, so no handler can forget the
 * check.
 *
 * <p>Queue URLs name their region in the path, after the base: {@code {base}/{account}/{name}} for the default region
 * (the URLs of Sluice before regions), {@code {base}/{region}/{account}/{name}} for every other. A path rather than a
 * host ({@code sqs.<region>.localhost}) so URLs work under any host name, Docker networks' included, with no DNS.
 */
public record Caller(
        String accountId,
        String baseUrl,
        String pathQueueUrl,
        String signedRegion,
        String defaultRegion,
        String sourceIp,
        boolean secureTransport,
        QueueAccess access,
        String action) {
    // Compiled once: every request that names a queue goes through queueKey().
    private static final Pattern EDGE_SLASHES = Pattern.compile("^/+|/+$");
    private static final Pattern SLASHES = Pattern.compile("/+");

    /**
     * A caller who may use every queue (the {@code open} auth mode), over a connection not described, whose requests
     * are in {@code region}, the default region.
     */
    public Caller(String accountId, String baseUrl, String pathQueueUrl, String region) {
        this(accountId, baseUrl, pathQueueUrl, region, region, null, false, QueueAccess.ANY, null);
    }

    /** The same caller running the action, so queue access is checked for it. */
    public Caller acting(String value) {
        return new Caller(
                accountId,
                baseUrl,
                pathQueueUrl,
                signedRegion,
                defaultRegion,
                sourceIp,
                secureTransport,
                access,
                value);
    }

    /**
     * The region the request is in: the one its credential scope names, else the default region. It decides where
     * CreateQueue, GetQueueUrl and ListQueues look; a queue URL must name it (see {@link #withQueue}).
     */
    public String region() {
        return signedRegion != null ? signedRegion : defaultRegion;
    }

    /**
     * Runs {@code action} on the queue a request names, from its QueueUrl member or else its path, once the caller may
     * use it for the current action; else the stage fails with AccessDenied. A URL of a region other than the one the
     * request is signed for names no queue (QueueDoesNotExist), as AWS answers a request sent to the wrong region: the
     * SDKs take the region from their own configuration, never from the queue URL. A request whose credential names
     * no region (unsigned, in the open auth mode) uses the queue its URL names.
     */
    public <T> CompletionStage<T> withQueue(String queueUrl, Function<QueueKey, CompletionStage<T>> action) {
        QueueKey key = queueKey(queueUrl);
        if (!reaches(key)) {
            throw new QueueException(QueueError.QUEUE_NOT_FOUND, "The specified queue does not exist.");
        }
        return withQueue(key, action);
    }

    /**
     * Whether the request may name the queue: it is in the region the request is signed for, or the request names no
     * region. (On AWS an ARN or URL of another region names nothing in the region a request is sent to.)
     */
    public boolean reaches(QueueKey key) {
        return signedRegion == null || key.region().equals(signedRegion);
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
        QueueKey plain = plainQueueKey(url, defaultRegion);
        return plain != null ? plain : queueKeyByUri(url);
    }

    /**
     * The queue of a URL in the form every client sends, {@code scheme://authority/account/name} or
     * {@code scheme://authority/region/account/name} with the segments made of name characters only, without a URI
     * parse: the same key {@link #queueKeyByUri} gives such a URL, or null for anything else. Whether the part before
     * the path is a valid authority is checked by a URI parse once and remembered (the last one seen: nearly all
     * requests name the same host).
     */
    static QueueKey plainQueueKey(String url, String defaultRegion) {
        int schemeEnd = url.indexOf("://");
        if (schemeEnd <= 0) {
            return null;
        }
        int pathStart = url.indexOf('/', schemeEnd + 3);
        if (pathStart < 0) {
            return null;
        }
        int nameStart = url.lastIndexOf('/') + 1;
        int accountStart = url.lastIndexOf('/', nameStart - 2) + 1;
        if (accountStart <= pathStart
                || !isNameSegment(url, accountStart, nameStart - 1)
                || !isNameSegment(url, nameStart, url.length())) {
            return null;
        }
        String region = defaultRegion;
        if (accountStart - 1 > pathStart) {
            // A region segment: exactly one, in the form of a region name.
            region = url.substring(pathStart + 1, accountStart - 1);
            if (!region.equals(defaultRegion) && !region.equals(plainRegion)) {
                if (!RegionName.isRegion(region)) {
                    return null;
                }
                plainRegion = region;
            }
        }
        String origin = url.substring(0, pathStart);
        if (!origin.equals(plainOrigin)) {
            if (!isPlainOrigin(origin)) {
                return null;
            }
            plainOrigin = origin;
        }
        return new QueueKey(region, url.substring(accountStart, nameStart - 1), url.substring(nameStart));
    }

    /** The last scheme and authority known to parse on their own, with no path, query or fragment. */
    private static volatile String plainOrigin;

    /** The last region segment known to be a region name (most requests of a client name the same one). */
    private static volatile String plainRegion;

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
            case 3 ->
                RegionName.isRegion(segments[0])
                        ? new QueueKey(segments[0], segments[1], segments[2])
                        : throwInvalid(url);
            case 2 -> new QueueKey(defaultRegion, segments[0], segments[1]);
            case 1 -> segments[0].isEmpty() ? throwInvalid(url) : new QueueKey(region(), accountId, segments[0]);
            default -> throwInvalid(url);
        };
    }

    /** The queue's URL: {@code {base}/{account}/{name}} in the default region, else {@code {base}/{region}/…}. */
    public String queueUrl(QueueKey key) {
        return key.region().equals(defaultRegion)
                ? baseUrl + "/" + key.accountId() + "/" + key.name()
                : baseUrl + "/" + key.region() + "/" + key.accountId() + "/" + key.name();
    }

    public String queueArn(QueueKey key) {
        return QueueArn.of(key);
    }

    private static QueueKey throwInvalid(String url) {
        throw invalidAddress(url);
    }

    private static AwsException invalidAddress(String url) {
        return new AwsException(AwsErrors.INVALID_ADDRESS, "The address " + url + " is not valid for this endpoint.");
    }
}
