package dev.sluice.protocol.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.AwsErrors;
import dev.sluice.api.AwsException;
import dev.sluice.api.Params;
import dev.sluice.protocol.HttpReply;
import dev.sluice.protocol.SqsProtocol;
import dev.sluice.protocol.WireRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AWS JSON 1.0 as SQS speaks it: the action in {@code X-Amz-Target: AmazonSQS.<Action>}, members as a JSON object,
 * errors as {@code {"__type": "com.amazonaws.sqs#<Shape>", "message": ...}} plus the {@code x-amzn-query-error}
 * header that query-compatible clients read. An error's status is its query status when the request says
 * {@code x-amzn-query-mode: true} (every current SDK does), and 400 for any client error otherwise.
 */
public final class JsonProtocol implements SqsProtocol {
    public static final String TARGET_PREFIX = "AmazonSQS.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final String ERROR_TYPE_PREFIX = "com.amazonaws.sqs#";

    private final ObjectMapper mapper =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
    private final JsonTreeWriter writer = new JsonTreeWriter(mapper);

    @Override
    public Decoded decode(WireRequest request) {
        String target = request.header("x-amz-target");
        String action = target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : "";
        Map<String, Object> members = parse(request.body());
        // CreateQueue's tag map is the one member JSON spells in lower case ("tags"); the API names it Tags.
        if (members.containsKey("tags") && !members.containsKey("Tags")) {
            members.put("Tags", members.remove("tags"));
        }
        return new Decoded(action, new Params(members));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parse(byte[] body) {
        if (body == null || body.length == 0) {
            return new LinkedHashMap<>();
        }
        try {
            Object parsed = mapper.readValue(body, Object.class);
            if (parsed instanceof LinkedHashMap<?, ?> map) {
                // Jackson reads a JSON object as a LinkedHashMap of String keys already: no copy needed.
                return (Map<String, Object>) map;
            }
            if (parsed instanceof Map<?, ?> map) {
                return new LinkedHashMap<>((Map<String, Object>) map);
            }
        } catch (IOException e) {
            throw new AwsException(AwsErrors.SERIALIZATION, "The request body is not valid JSON.");
        }
        throw new AwsException(AwsErrors.SERIALIZATION, "The request body must be a JSON object.");
    }

    @Override
    public HttpReply result(String action, Map<String, Object> result, WireRequest request, String requestId) {
        return new HttpReply(200, CONTENT_TYPE, Map.of("x-amzn-RequestId", requestId), write(result));
    }

    @Override
    public HttpReply error(AwsException error, WireRequest request, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("__type", ERROR_TYPE_PREFIX + error.error().jsonType());
        body.put("message", error.getMessage());
        int status = error.error().httpStatus();
        boolean queryMode = "true".equalsIgnoreCase(request.header("x-amzn-query-mode"));
        if (!queryMode && status >= 400 && status < 500) {
            status = 400;
        }
        String fault = error.error().senderFault() ? "Sender" : "Receiver";
        return new HttpReply(
                status,
                CONTENT_TYPE,
                Map.of(
                        "x-amzn-RequestId",
                        requestId,
                        "x-amzn-query-error",
                        error.error().queryCode() + ";" + fault),
                write(body),
                error.error().queryCode());
    }

    private byte[] write(Map<String, Object> tree) {
        return writer.write(tree);
    }
}
