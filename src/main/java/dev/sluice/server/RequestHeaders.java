package dev.sluice.server;

import io.vertx.core.MultiMap;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A request's headers as {@link dev.sluice.protocol.WireRequest} wants them, by lower-cased name with the first value
 * of each, read from Vert.x's case-insensitive headers when asked rather than copied for every request (the protocols
 * look up two or three names). HTTP header names reach us as ISO-8859-1 characters, whose lower-casing never makes
 * an ASCII letter, so a case-insensitive lookup of a lower-case name finds what the lower-cased copy would.
 */
final class RequestHeaders extends AbstractMap<String, String> {
    private final MultiMap headers;

    RequestHeaders(MultiMap headers) {
        this.headers = headers;
    }

    @Override
    public String get(Object name) {
        return name instanceof String text ? headers.get(text) : null;
    }

    @Override
    public boolean containsKey(Object name) {
        return get(name) != null;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        Map<String, String> copy = new LinkedHashMap<>();
        headers.forEach(header -> copy.putIfAbsent(header.getKey().toLowerCase(Locale.ROOT), header.getValue()));
        return copy.entrySet();
    }
}
