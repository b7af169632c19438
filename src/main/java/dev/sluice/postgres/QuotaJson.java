package dev.sluice.postgres;

import dev.sluice.quota.Quota;
import dev.sluice.quota.Rate;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant's own quota as the {@code tenant.quota} column holds it: {@code {"requests": {"perSecond": 100, "burst":
 * 200}, "bytes": {…}, "queues": {"name": {…}}}}, absent rates left out.
 */
final class QuotaJson {
    private QuotaJson() {}

    static JsonObject of(Quota quota) {
        JsonObject json = new JsonObject();
        quota.requests().ifPresent(rate -> json.put("requests", of(rate)));
        quota.bytes().ifPresent(rate -> json.put("bytes", of(rate)));
        JsonObject queues = new JsonObject();
        quota.queues().forEach((name, rate) -> queues.put(name, of(rate)));
        return json.put("queues", queues);
    }

    static Quota quota(JsonObject json) {
        Map<String, Rate> queues = new LinkedHashMap<>();
        JsonObject stored = json.getJsonObject("queues", new JsonObject());
        stored.fieldNames().forEach(name -> queues.put(name, rate(stored.getJsonObject(name))));
        return new Quota(
                Optional.ofNullable(json.getJsonObject("requests")).map(QuotaJson::rate),
                Optional.ofNullable(json.getJsonObject("bytes")).map(QuotaJson::rate),
                queues);
    }

    private static JsonObject of(Rate rate) {
        return new JsonObject().put("perSecond", rate.perSecond()).put("burst", rate.burst());
    }

    private static Rate rate(JsonObject json) {
        return new Rate(json.getLong("perSecond"), json.getLong("burst"));
    }
}
