package dev.sluice.api;

import dev.sluice.queues.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Successful/Failed result of the batch actions whose successes carry only their id. */
final class BatchResults {
    private BatchResults() {}

    static Map<String, Object> encode(List<String> ids, List<Outcome<Void>> outcomes) {
        List<Map<String, Object>> successful = new ArrayList<>();
        List<Map<String, Object>> failed = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Outcome<Void> outcome = outcomes.get(i);
            if (outcome.succeeded()) {
                successful.add(BatchEntries.success(ids.get(i)));
            } else {
                failed.add(BatchEntries.failure(ids.get(i), outcome.failure()));
            }
        }
        return Wire.result()
                .putList("Successful", successful)
                .put("Failed", failed)
                .build();
    }
}
