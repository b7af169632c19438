package dev.sluice.api;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** SQS's rules for the entries of every *Batch action, and the shape of their per-entry failures. */
final class BatchEntries {
    /** SQS: at most 10 entries per batch. */
    static final int MAX_ENTRIES = 10;

    private static final Pattern ENTRY_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    private BatchEntries() {}

    static void validate(String entryName, List<String> ids) {
        if (ids.isEmpty()) {
            throw new AwsException(
                    AwsErrors.EMPTY_BATCH_REQUEST, "There should be at least one " + entryName + " in the request.");
        }
        if (ids.size() > MAX_ENTRIES) {
            throw new AwsException(
                    AwsErrors.TOO_MANY_ENTRIES_IN_BATCH_REQUEST,
                    "Maximum number of entries per request are " + MAX_ENTRIES + ". You have sent " + ids.size() + ".");
        }
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            if (id == null || !ENTRY_ID.matcher(id).matches()) {
                throw new AwsException(
                        AwsErrors.INVALID_BATCH_ENTRY_ID,
                        "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can"
                                + " be at most 80 letters long.");
            }
            if (!seen.add(id)) {
                throw new AwsException(AwsErrors.BATCH_ENTRY_IDS_NOT_DISTINCT, "Id " + id + " repeated.");
            }
        }
    }

    static Map<String, Object> failure(String id, RuntimeException failure) {
        AwsException error = failure instanceof AwsException aws ? aws : AwsErrors.translate(failure);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("Id", id);
        entry.put("SenderFault", error.error().senderFault());
        entry.put("Code", error.error().queryCode());
        entry.put("Message", error.getMessage());
        return entry;
    }

    static Map<String, Object> success(String id) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("Id", id);
        return entry;
    }
}
