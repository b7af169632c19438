package dev.sluice.store.journal;

import java.util.HashMap;
import java.util.Map;

/**
 * One instance of each string that many records repeat (queue ids, sender ids), for the opening scan: every decoded
 * message would otherwise hold its own copy of its queue's id for as long as it is queued, which a message the running
 * server made does not (it shares its queue's). Holds at most {@value #MAX} strings; beyond that it shares no new ones.
 * Used by the scan's reader thread only.
 */
final class SharedStrings {
    private static final int MAX = 4096;
    private final Map<String, String> strings = new HashMap<>();

    String share(String value) {
        if (value == null) {
            return null;
        }
        String shared = strings.get(value);
        if (shared != null) {
            return shared;
        }
        if (strings.size() < MAX) {
            strings.put(value, value);
        }
        return value;
    }
}
