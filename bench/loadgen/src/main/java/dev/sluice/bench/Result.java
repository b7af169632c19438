package dev.sluice.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One scenario run as a single line {@code RESULT key=value ...}, which bench/run appends to results.tsv. */
final class Result {
    private final Map<String, String> fields = new LinkedHashMap<>();

    Result put(String key, Object value) {
        String text = value instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : String.valueOf(value);
        fields.put(key, text.replace(' ', '_'));
        return this;
    }

    String line() {
        var sb = new StringBuilder("RESULT");
        fields.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }
}
