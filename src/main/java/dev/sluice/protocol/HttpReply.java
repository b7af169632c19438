package dev.sluice.protocol;

import java.util.Map;

/**
 * A response ready for the wire: status, content type, extra headers and body; for an AWS error also its code (the
 * query-protocol code, as {@code x-amzn-query-error} carries it), for metrics, else null.
 */
public record HttpReply(int status, String contentType, Map<String, String> headers, byte[] body, String errorCode) {

    /** A reply that is no AWS error. */
    public HttpReply(int status, String contentType, Map<String, String> headers, byte[] body) {
        this(status, contentType, headers, body, null);
    }
}
