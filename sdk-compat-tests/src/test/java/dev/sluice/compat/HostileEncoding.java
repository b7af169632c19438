package dev.sluice.compat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts a {@link FuzzCase} on the wire, in the model's encodings and in wrong ones: the case's style picks the content
 * type (often a wrong or missing one), GET or POST, list numbering from 0 or 1, attribute maps as {@code .N.Name}/
 * {@code .N.Value} pairs or by key, a duplicated parameter, a missing or wrong {@code X-Amz-Target}; lone surrogates
 * become bytes that are not UTF-8; then the case's breakage is applied to the body.
 */
final class HostileEncoding {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** HTTP servers refuse long request lines before any SQS rule runs, so longer parameter lists are posted. */
    private static final int LONGEST_GET = 4000;

    private HostileEncoding() {}

    static HostileRequest encode(FuzzCase c) {
        return c.protocol() == FuzzCase.Protocol.QUERY ? query(c) : json(c);
    }

    private static HostileRequest query(FuzzCase c) {
        int style = c.style();
        Map<String, String> flat = new LinkedHashMap<>();
        if (c.action() != null) {
            flat.put("Action", c.action());
        }
        if (style % 3 != 0) {
            flat.put("Version", "2012-11-05");
        }
        c.members().forEach((name, value) -> flatten(flat, name, value, style));
        String form = form(flat);
        if (style % 17 == 0 && !flat.isEmpty()) {
            // The first parameter again with another value: which one wins is the server's choice, not a 500.
            Map.Entry<String, String> first = flat.entrySet().iterator().next();
            form += "&" + percent(first.getKey()) + "=" + percent(first.getValue() + "x");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (style < 70) {
            headers.put("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        } else if (style < 80) {
            headers.put("Content-Type", pick(style, "text/plain", "application/json", "multipart/x", ""));
        }
        if (style % 7 == 0) {
            headers.put("Accept", "application/json");
        }
        if (style >= 90 && form.length() <= LONGEST_GET) {
            return new HostileRequest("GET", c.path(), form, headers, new byte[0]);
        }
        return new HostileRequest(
                "POST", c.path(), null, headers, c.breakage().apply(form.getBytes(StandardCharsets.UTF_8)));
    }

    private static HostileRequest json(FuzzCase c) {
        int style = c.style();
        String action = c.action();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(
                "X-Amz-Target",
                style < 85
                        ? "AmazonSQS." + (action == null ? "" : action)
                        : pick(style, "AmazonSQS.", "Foo.Bar", "AmazonSQS.FooBar", String.valueOf(action)));
        headers.put(
                "Content-Type",
                style < 80 ? "application/x-amz-json-1.0" : pick(style, "text/plain", "application/json", ""));
        if (style % 2 == 0) {
            headers.put("x-amzn-query-mode", "true");
        }
        byte[] body = c.oddBody() != null ? c.oddBody() : writeJson(c.members());
        return new HostileRequest(
                "POST",
                style % 5 == 0 ? c.path() : "/",
                null,
                headers,
                c.breakage().apply(body));
    }

    /** Flattens a member into query parameters, in one of several styles (the model's and wrong ones). */
    private static void flatten(Map<String, String> flat, String name, Object value, int style) {
        if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                flat.put(name, "");
            }
            int first = style % 13 == 0 ? 0 : 1;
            for (int i = 0; i < list.size(); i++) {
                flatten(flat, name + "." + (i + first), list.get(i), style);
            }
        } else if (value instanceof Map<?, ?> map) {
            int i = 1;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (style % 2 == 0) {
                    flat.put(name + "." + i + ".Name", String.valueOf(entry.getKey()));
                    flatten(flat, name + "." + i + ".Value", entry.getValue(), style);
                } else {
                    flatten(flat, name + "." + entry.getKey(), entry.getValue(), style);
                }
                i++;
            }
        } else {
            flat.put(name, value == null ? "" : String.valueOf(value));
        }
    }

    private static String form(Map<String, String> flat) {
        StringBuilder out = new StringBuilder();
        flat.forEach((name, value) -> {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(percent(name)).append('=').append(percent(value));
        });
        return out.toString();
    }

    /** Percent-encodes the UTF-8 of the text; a lone surrogate becomes the bytes ED xx xx, which are not UTF-8. */
    private static String percent(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                out.append(URLEncoder.encode(text.substring(start, i), StandardCharsets.UTF_8));
                out.append("%%ED%%%02X%%%02X".formatted(0xA0 | (c >> 6 & 0x1F), 0x80 | (c & 0x3F)));
                start = i + 1;
            }
        }
        return out.append(URLEncoder.encode(text.substring(start), StandardCharsets.UTF_8))
                .toString();
    }

    private static byte[] writeJson(Map<String, Object> members) {
        try {
            return JSON.writeValueAsBytes(members);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pick(int style, String... options) {
        return options[style % options.length];
    }
}
