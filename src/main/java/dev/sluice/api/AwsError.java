package dev.sluice.api;

/**
 * One AWS error as both protocols spell it: the JSON shape name ({@code __type}), the query-protocol code (also the
 * JSON {@code x-amzn-query-error} header), the HTTP status and whether the sender is at fault.
 */
public record AwsError(String jsonType, String queryCode, int httpStatus, boolean senderFault) {

    static AwsError sender(String jsonType, String queryCode, int httpStatus) {
        return new AwsError(jsonType, queryCode, httpStatus, true);
    }

    static AwsError sender(String code, int httpStatus) {
        return sender(code, code, httpStatus);
    }
}
