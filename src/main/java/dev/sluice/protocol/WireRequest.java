package dev.sluice.protocol;

import java.util.Map;

/**
 * An HTTP request as the protocols need it: method, raw query string, headers (names lower-cased) and body. The
 * server builds it from whatever HTTP stack it runs on.
 */
public record WireRequest(String method, String rawQuery, Map<String, String> headers, byte[] body) {

    public String header(String name) {
        return headers.get(name);
    }
}
