package dev.sluice.api;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoded request's members by their AWS names. Both protocols produce the same tree (maps, lists, strings,
 * numbers, booleans): JSON directly, the query protocol after its flattened names are folded. Typed reads here are
 * shared by every action; a member of the wrong type is an InvalidParameterValue, never a server error.
 */
public final class Params {
    private final Map<String, Object> members;
    /** The request's X-Amzn-Trace-Id header, or null: not a member, so no request body can set it. */
    private final String traceHeader;

    public Params(Map<String, Object> members) {
        this(members, null);
    }

    private Params(Map<String, Object> members, String traceHeader) {
        this.members = members == null ? Map.of() : members;
        this.traceHeader = traceHeader;
    }

    /** These members with the request's X-Amzn-Trace-Id header (sends take it as the AWSTraceHeader). */
    public Params withTraceHeader(String value) {
        return new Params(members, value);
    }

    /** The X-Amzn-Trace-Id header the request came with, or null. */
    public String traceHeader() {
        return traceHeader;
    }

    public boolean has(String name) {
        return members.get(name) != null;
    }

    public String string(String name) {
        Object value = members.get(name);
        return switch (value) {
            case null -> null;
            case String text -> text;
            case Number number -> number.toString();
            case Boolean bool -> bool.toString();
            default -> throw wrongType(name, value);
        };
    }

    public String requiredString(String name) {
        String value = string(name);
        if (value == null) {
            throw AwsErrors.missingParameter(name);
        }
        return value;
    }

    public Integer integer(String name) {
        Object value = members.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Integer number) {
            return number;
        }
        if (value instanceof Long number && number == number.intValue()) {
            return number.intValue();
        }
        if (value instanceof String text) {
            return parseInteger(name, text);
        }
        throw wrongType(name, value);
    }

    public Boolean bool(String name) {
        Object value = members.get(name);
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        if (value instanceof String text && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(text);
        }
        throw wrongType(name, value);
    }

    public byte[] binary(String name) {
        String value = string(name);
        if (value == null) {
            return null;
        }
        try {
            return Base64.getMimeDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw AwsErrors.invalidParameter("Value for parameter " + name + " is not valid Base64.");
        }
    }

    public List<String> strings(String name) {
        List<String> out = new ArrayList<>();
        for (Object item : list(name)) {
            if (!(item instanceof String text)) {
                throw wrongType(name, item);
            }
            out.add(text);
        }
        return out;
    }

    /** A map of strings to strings, such as Attributes or Tags; values may be JSON strings or numbers. */
    public Map<String, String> stringMap(String name) {
        Map<String, String> out = new LinkedHashMap<>();
        map(name).forEach((key, value) -> out.put(key, new Params(Map.of(key, value)).string(key)));
        return out;
    }

    public Map<String, Params> structMap(String name) {
        Map<String, Params> out = new LinkedHashMap<>();
        map(name).forEach((key, value) -> out.put(key, struct(name + "." + key, value)));
        return out;
    }

    public List<Params> structs(String name) {
        List<Params> out = new ArrayList<>();
        for (Object item : list(name)) {
            out.add(struct(name, item));
        }
        return out;
    }

    private List<?> list(String name) {
        Object value = members.get(name);
        return switch (value) {
            case null -> List.of();
            case List<?> list -> list;
            default -> throw wrongType(name, value);
        };
    }

    private Map<String, ?> map(String name) {
        Object value = members.get(name);
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((key, item) -> out.put(String.valueOf(key), item));
            return out;
        }
        throw wrongType(name, value);
    }

    @SuppressWarnings("unchecked")
    private static Params struct(String name, Object value) {
        if (value instanceof Map<?, ?> map) {
            return new Params((Map<String, Object>) map);
        }
        throw wrongType(name, value);
    }

    private static Integer parseInteger(String name, String text) {
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw AwsErrors.invalidParameter("Value " + text + " for parameter " + name + " is invalid.");
        }
    }

    private static AwsException wrongType(String name, Object value) {
        return AwsErrors.invalidParameter("Value " + value + " for parameter " + name + " is of the wrong type.");
    }
}
