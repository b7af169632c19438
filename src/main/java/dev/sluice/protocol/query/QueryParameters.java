package dev.sluice.protocol.query;

import dev.sluice.api.AwsErrors;
import dev.sluice.api.AwsException;
import dev.sluice.protocol.AsciiDigits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the query protocol's flat, dotted parameters into the member tree the JSON protocol sends. Dotted names nest
 * ({@code A.B=x}), numbered segments are list positions ({@code AttributeName.1}), and the SQS model's flattened
 * members take their JSON names: a list of {@code Attribute.N.Name/Value} pairs becomes the {@code Attributes} map,
 * {@code AttributeName.N} the {@code AttributeNames} list, and so on. Only member names drive this, never the action.
 */
final class QueryParameters {
    /** Flattened name/value lists that are maps in the model: query name -> (member, key field, value field). */
    private static final Map<String, String[]> FLATTENED_MAPS = Map.of(
            "Attribute", new String[] {"Attributes", "Name", "Value"},
            "Tag", new String[] {"Tags", "Key", "Value"},
            // The SDK for Java v1 sends TagQueue's tags as Tags.N.Key / Tags.N.Value, unlike the model's Tag.N.
            "Tags", new String[] {"Tags", "Key", "Value"},
            "MessageAttribute", new String[] {"MessageAttributes", "Name", "Value"},
            "MessageSystemAttribute", new String[] {"MessageSystemAttributes", "Name", "Value"});

    /** Flattened lists whose member name differs from the query name. */
    private static final Map<String, String> FLATTENED_LISTS = Map.ofEntries(
            Map.entry("AttributeName", "AttributeNames"),
            Map.entry("MessageAttributeName", "MessageAttributeNames"),
            Map.entry("MessageSystemAttributeName", "MessageSystemAttributeNames"),
            Map.entry("TagKey", "TagKeys"),
            Map.entry("SendMessageBatchRequestEntry", "Entries"),
            Map.entry("DeleteMessageBatchRequestEntry", "Entries"),
            Map.entry("ChangeMessageVisibilityBatchRequestEntry", "Entries"),
            Map.entry("AWSAccountId", "AWSAccountIds"),
            Map.entry("ActionName", "Actions"),
            Map.entry("StringListValue", "StringListValues"),
            Map.entry("BinaryListValue", "BinaryListValues"));

    private QueryParameters() {}

    /** Decodes {@code a=b&c=d} (URL-encoded, '+' as space; see {@link FormDecoding}) into the map, later values winning. */
    static void parseInto(String encoded, Map<String, String> into) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        try {
            for (String pair : encoded.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                into.put(name, value);
            }
        } catch (IllegalArgumentException e) {
            throw new AwsException(AwsErrors.MALFORMED_QUERY_STRING, "The query string is malformed.");
        }
    }

    private static String decode(String encoded) {
        return FormDecoding.decode(encoded);
    }

    /** The member tree of flat parameters. */
    static Map<String, Object> toMembers(Map<String, String> flat) {
        Map<String, Object> nested = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : flat.entrySet()) {
            insert(nested, entry.getKey().split("\\."), entry.getValue());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> members = (Map<String, Object>) fold(listify(nested));
        return members;
    }

    @SuppressWarnings("unchecked")
    private static void insert(Map<String, Object> into, String[] path, String value) {
        Map<String, Object> node = into;
        for (int i = 0; i < path.length - 1; i++) {
            Object child = node.get(path[i]);
            if (!(child instanceof Map)) {
                child = new LinkedHashMap<String, Object>();
                node.put(path[i], child);
            }
            node = (Map<String, Object>) child;
        }
        node.put(path[path.length - 1], value);
    }

    /** Maps whose keys are all numbers become lists ordered by those numbers. */
    private static Object listify(Object node) {
        if (!(node instanceof Map<?, ?> map)) {
            return node;
        }
        boolean numbered = !map.isEmpty() && map.keySet().stream().allMatch(key -> isListIndex((String) key));
        if (numbered) {
            TreeMap<Integer, Object> ordered = new TreeMap<>();
            map.forEach((key, value) -> ordered.put(Integer.parseInt((String) key), listify(value)));
            return new ArrayList<>(ordered.values());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((key, value) -> out.put((String) key, listify(value)));
        return out;
    }

    /** Whether a name segment is a list position: 1 to 9 ASCII digits. */
    private static boolean isListIndex(String segment) {
        return AsciiDigits.isDigits(segment, 9);
    }

    private static Object fold(Object node) {
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(item -> out.add(fold(item)));
            return out;
        }
        if (!(node instanceof Map<?, ?> map)) {
            return node;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((rawKey, value) -> {
            String key = (String) rawKey;
            String[] asMap = FLATTENED_MAPS.get(key);
            if (asMap != null) {
                out.put(asMap[0], pairsToMap(value, asMap[1], asMap[2]));
            } else if ("".equals(value) && FLATTENED_LISTS.containsValue(key)) {
                // botocore's query serializer sends an empty list as "Name=" under the member's own name.
                out.put(key, List.of());
            } else if (FLATTENED_LISTS.containsKey(key)) {
                out.put(FLATTENED_LISTS.get(key), fold(value instanceof List<?> ? value : List.of(value)));
            } else {
                out.put(key, fold(value));
            }
        });
        return out;
    }

    private static Map<String, Object> pairsToMap(Object pairs, String keyField, String valueField) {
        List<?> list = pairs instanceof List<?> l ? l : List.of(pairs);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Object item : list) {
            if (item instanceof Map<?, ?> pair && pair.get(keyField) instanceof String name) {
                out.put(name, fold(pair.get(valueField)));
            } else {
                throw new AwsException(
                        AwsErrors.MISSING_PARAMETER, "Each entry must contain the parameter " + keyField + ".");
            }
        }
        return out;
    }
}
