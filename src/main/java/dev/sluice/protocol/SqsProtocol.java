package dev.sluice.protocol;

import dev.sluice.api.AwsException;
import dev.sluice.api.Params;
import java.util.Map;

/** One SQS wire protocol: decodes a request into an action and its members, and encodes results and errors. */
public interface SqsProtocol {

    /** The action and members of a request; throws {@link AwsException} for a malformed one. */
    Decoded decode(WireRequest request);

    HttpReply result(String action, Map<String, Object> result, WireRequest request, String requestId);

    HttpReply error(AwsException error, WireRequest request, String requestId);

    /** A decoded request. */
    record Decoded(String action, Params params) {}
}
