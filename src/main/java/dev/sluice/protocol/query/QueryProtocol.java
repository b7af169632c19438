package dev.sluice.protocol.query;

import dev.sluice.api.AwsErrors;
import dev.sluice.api.AwsException;
import dev.sluice.api.Params;
import dev.sluice.api.SqsApi;
import dev.sluice.protocol.HttpReply;
import dev.sluice.protocol.SqsProtocol;
import dev.sluice.protocol.WireRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The AWS query protocol: parameters from the query string and/or a form-encoded body, {@code Action=<Action>},
 * replies as XML in the 2012-11-05 namespace, errors as {@code ErrorResponse} with the query status.
 */
public final class QueryProtocol implements SqsProtocol {
    private static final String CONTENT_TYPE = "text/xml";
    /**
     * AWS words NonExistentQueue differently per protocol: JSON says "The specified queue does not exist." (SQS
     * developer guide, JSON error example), the query protocol adds "for this wsdl version." (observed replies).
     */
    private static final String NON_EXISTENT_QUEUE_MESSAGE =
            "The specified queue does not exist for this wsdl version.";

    @Override
    public Decoded decode(WireRequest request) {
        Map<String, String> flat = new LinkedHashMap<>();
        QueryParameters.parseInto(request.rawQuery(), flat);
        String contentType = request.header("content-type");
        if (request.body() != null
                && request.body().length > 0
                && (contentType == null || contentType.startsWith("application/x-www-form-urlencoded"))) {
            // One char per byte: FormDecoding decodes the bytes as UTF-8, keeping invalid ones visible.
            QueryParameters.parseInto(new String(request.body(), StandardCharsets.ISO_8859_1), flat);
        }
        String action = flat.remove("Action");
        if (action == null || action.isEmpty()) {
            throw new AwsException(AwsErrors.MISSING_ACTION, "The request must contain the parameter Action.");
        }
        flat.remove("Version");
        return new Decoded(action, new Params(QueryParameters.toMembers(flat)));
    }

    @Override
    public HttpReply result(String action, Map<String, Object> result, WireRequest request, String requestId) {
        boolean hasResult = SqsApi.hasResult(action);
        return JsonReplies.preferred(request.header("accept"))
                ? reply(
                        200,
                        JsonReplies.CONTENT_TYPE,
                        JsonReplies.result(action, hasResult, result, requestId),
                        requestId,
                        null)
                : reply(200, CONTENT_TYPE, XmlReplies.result(action, hasResult, result, requestId), requestId, null);
    }

    @Override
    public HttpReply error(AwsException error, WireRequest request, String requestId) {
        AwsException worded = error.error() == AwsErrors.QUEUE_DOES_NOT_EXIST
                ? new AwsException(error.error(), NON_EXISTENT_QUEUE_MESSAGE)
                : error;
        int status = error.error().httpStatus();
        String code = error.error().queryCode();
        return JsonReplies.preferred(request.header("accept"))
                ? reply(status, JsonReplies.CONTENT_TYPE, JsonReplies.error(worded, requestId), requestId, code)
                : reply(status, CONTENT_TYPE, XmlReplies.error(worded, requestId), requestId, code);
    }

    /**
     * A request to a queue URL that names no action: SQS answers 404 with just {@code <UnknownOperationException/>},
     * in XML whatever the Accept header (recorded against AWS in LocalStack's TestSqsQueryApi).
     */
    public static HttpReply unknownOperation(String requestId) {
        return reply(
                404,
                CONTENT_TYPE,
                "<UnknownOperationException/>".getBytes(StandardCharsets.UTF_8),
                requestId,
                AwsErrors.UNKNOWN_OPERATION.queryCode());
    }

    private static HttpReply reply(int status, String contentType, byte[] body, String requestId, String errorCode) {
        return new HttpReply(status, contentType, Map.of("x-amzn-RequestId", requestId), body, errorCode);
    }
}
