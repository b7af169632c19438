package dev.sluice.compat;

import java.util.Map;

/**
 * A request exactly as the fuzz suite sends it. Whether {@code X-Amz-Target} is set decides the protocol the server
 * picks, as SQS does. {@link #toString()} shows the body byte for byte (printable ASCII as it is, a backslash doubled,
 * every other byte as {@code \xNN}), cut in the middle only when it is longer than {@value #SHOWN_BYTES} bytes.
 *
 * @param query the query string (GET), or null
 * @param headers header name to value; an empty value is not sent
 */
record HostileRequest(String method, String path, String query, Map<String, String> headers, byte[] body) {
    private static final int SHOWN_BYTES = 2000;

    boolean json() {
        return headers.containsKey("X-Amz-Target");
    }

    /** The path and query string. */
    String target() {
        return path + (query == null ? "" : "?" + query);
    }

    @Override
    public String toString() {
        String shown = body.length <= SHOWN_BYTES
                ? escape(0, body.length)
                : escape(0, SHOWN_BYTES / 2) + "\n  … " + (body.length - SHOWN_BYTES) + " bytes not shown ("
                        + body.length + " in all) …\n  " + escape(body.length - SHOWN_BYTES / 2, body.length);
        return method + " " + target() + "\n  headers " + headers + "\n  body (" + body.length + " bytes) " + shown;
    }

    private String escape(int from, int to) {
        StringBuilder out = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            int b = body[i] & 0xFF;
            if (b == '\\') {
                out.append("\\\\");
            } else if (b >= 0x20 && b < 0x7F) {
                out.append((char) b);
            } else {
                out.append("\\x%02X".formatted(b));
            }
        }
        return out.toString();
    }
}
