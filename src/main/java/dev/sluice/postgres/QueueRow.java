package dev.sluice.postgres;

import dev.sluice.queues.QueueKey;
import dev.sluice.queues.rules.QueueSettings;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One live queue as its row holds it: the incarnation's id (every message row names it), its settings and tags, and
 * its timestamps. Immutable; a change is a new row read from the database.
 */
record QueueRow(
        long id,
        QueueKey key,
        QueueSettings settings,
        Map<String, String> tags,
        long createdAt,
        long lastModifiedAt,
        Long lastPurgedAt) {

    /** The columns {@link #of} reads. */
    static final String COLUMNS =
            "id, account_id, name, attributes, tags, created_at, last_modified_at, last_purged_at, region";

    /** The id as receipt handles carry it. */
    String handleId() {
        return Long.toString(id);
    }

    /** The row of a queue; a row without a region is of {@code defaultRegion}. */
    static QueueRow of(Row row, String defaultRegion) {
        String region = row.getString(8);
        return new QueueRow(
                row.getLong(0),
                new QueueKey(region == null ? defaultRegion : region, row.getString(1), row.getString(2)),
                QueueSettings.of(strings((JsonObject) row.getValue(3), new LinkedHashMap<>())),
                strings((JsonObject) row.getValue(4), new TreeMap<>()),
                row.getLong(5),
                row.getLong(6),
                row.getLong(7));
    }

    static JsonObject json(Map<String, String> values) {
        return new JsonObject(new LinkedHashMap<>(values));
    }

    private static Map<String, String> strings(JsonObject json, Map<String, String> into) {
        json.forEach(entry -> into.put(entry.getKey(), String.valueOf(entry.getValue())));
        return into;
    }
}
