package dev.sluice.compat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One generated request before it is encoded ({@link HostileEncoding}): the action, the members with their values,
 * and the encoding choices. Kept apart from the bytes so that a failing case can be made simpler one part at a time
 * ({@link #simpler()}) and encoded again.
 *
 * @param action the action named ({@code Action=} or {@code X-Amz-Target}); null: none
 * @param members member name to value: a String, Number, Boolean, null, List or Map (nested the same way)
 * @param path the request path
 * @param style 0..99: picks content type, method, list numbering, target header and the like
 * @param oddBody JSON only: a body no encoder writes, sent instead of the members; null: none
 * @param breakage what happens to the encoded body
 */
record FuzzCase(
        Protocol protocol,
        String action,
        Map<String, Object> members,
        String path,
        int style,
        byte[] oddBody,
        Breakage breakage) {

    enum Protocol {
        QUERY,
        JSON;

        String label() {
            return name().toLowerCase();
        }
    }

    /** What may happen to an encoded body on its way out. */
    record Breakage(Kind kind, double cut, String junk) {
        enum Kind {
            INTACT,
            TRUNCATED,
            JUNK,
            STRAY_BYTES
        }

        static final Breakage INTACT = new Breakage(Kind.INTACT, 1, "");

        byte[] apply(byte[] body) {
            return switch (kind) {
                case INTACT -> body;
                case TRUNCATED -> Arrays.copyOf(body, (int) (body.length * cut));
                case JUNK -> concat(body, junk.getBytes(StandardCharsets.ISO_8859_1));
                case STRAY_BYTES -> concat(body, new byte[] {(byte) 0xC3, (byte) 0x28});
            };
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] out = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }
    }

    /**
     * Cases one step simpler than this one, the likeliest to explain a failure first: the body left intact, then each
     * member left out, then each member's value made smaller (a string cut to half or emptied, a list or map with an
     * element left out or an element made smaller).
     */
    List<FuzzCase> simpler() {
        List<FuzzCase> out = new ArrayList<>();
        if (breakage.kind() != Breakage.Kind.INTACT) {
            out.add(withBreakage(Breakage.INTACT));
        }
        for (String name : members.keySet()) {
            Map<String, Object> fewer = new LinkedHashMap<>(members);
            fewer.remove(name);
            out.add(withMembers(fewer));
        }
        members.forEach((name, value) -> {
            for (Object smaller : smaller(value)) {
                Map<String, Object> changed = new LinkedHashMap<>(members);
                changed.put(name, smaller);
                out.add(withMembers(changed));
            }
        });
        return out;
    }

    private static List<Object> smaller(Object value) {
        List<Object> out = new ArrayList<>();
        if (value instanceof String text && !text.isEmpty()) {
            if (text.length() > 1) {
                out.add(text.substring(0, text.length() / 2));
            }
            out.add("");
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                List<Object> fewer = new ArrayList<>(list);
                fewer.remove(i);
                out.add(fewer);
            }
            for (int i = 0; i < list.size(); i++) {
                for (Object element : smaller(list.get(i))) {
                    List<Object> changed = new ArrayList<>(list);
                    changed.set(i, element);
                    out.add(changed);
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                Map<Object, Object> fewer = new LinkedHashMap<>(map);
                fewer.remove(key);
                out.add(fewer);
            }
            map.forEach((key, element) -> {
                for (Object smaller : smaller(element)) {
                    Map<Object, Object> changed = new LinkedHashMap<>(map);
                    changed.put(key, smaller);
                    out.add(changed);
                }
            });
        }
        return out;
    }

    private FuzzCase withMembers(Map<String, Object> changed) {
        return new FuzzCase(protocol, action, changed, path, style, oddBody, breakage);
    }

    private FuzzCase withBreakage(Breakage changed) {
        return new FuzzCase(protocol, action, members, path, style, oddBody, changed);
    }
}
