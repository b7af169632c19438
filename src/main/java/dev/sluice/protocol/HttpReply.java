package dev.sluice.protocol;

import java.util.Map;

/** A response ready for the wire: status, content type, extra headers and body. */
public record HttpReply(int status, String contentType, Map<String, String> headers, byte[] body) {}
