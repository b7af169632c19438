package dev.sluice.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Builds result trees: members in the order AWS documents them, absent members left out. */
final class Wire {
    private final Map<String, Object> members = new LinkedHashMap<>();

    static Wire result() {
        return new Wire();
    }

    static CompletionStage<Map<String, Object>> empty() {
        return CompletableFuture.completedFuture(Map.of());
    }

    Wire put(String name, Object value) {
        if (value != null
                && !(value instanceof Map<?, ?> map && map.isEmpty())
                && !(value instanceof java.util.List<?> list && list.isEmpty())) {
            members.put(name, value);
        }
        return this;
    }

    /** Puts a list even when it is empty: batch results always carry Successful (Failed only when an entry failed). */
    Wire putList(String name, java.util.List<?> value) {
        members.put(name, value);
        return this;
    }

    Map<String, Object> build() {
        return members;
    }
}
