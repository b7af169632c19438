package dev.sluice.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * ListQueues-style paging over sorted names: MaxResults 1 to 1,000, and a NextToken (the last name returned,
 * encoded) only when MaxResults was given and more names remain (ListQueues API reference).
 */
final class Paging {
    static final int MAX_RESULTS = 1000;

    record Page(List<String> names, String nextToken) {}

    private Paging() {}

    static Page page(List<String> sortedNames, Integer maxResults, String nextToken) {
        if (maxResults != null && (maxResults < 1 || maxResults > MAX_RESULTS)) {
            throw AwsErrors.invalidParameter(
                    "Value " + maxResults
                            + " for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.");
        }
        int start = 0;
        if (nextToken != null && !nextToken.isEmpty()) {
            String after = decode(nextToken);
            while (start < sortedNames.size() && sortedNames.get(start).compareTo(after) <= 0) {
                start++;
            }
        }
        int limit = maxResults != null ? maxResults : MAX_RESULTS;
        int end = Math.min(sortedNames.size(), start + limit);
        List<String> names = sortedNames.subList(start, end);
        String next = maxResults != null && end < sortedNames.size() ? encode(names.getLast()) : null;
        return new Page(names, next);
    }

    private static String encode(String name) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw AwsErrors.invalidParameter("Invalid NextToken value.");
        }
    }
}
