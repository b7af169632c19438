package dev.sluice.api;

import dev.sluice.auth.AuthError;
import dev.sluice.auth.AuthException;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;

/**
 * The one table from domain errors to AWS's codes and statuses (SQS API reference, "Errors" of each action, and
 * Common Errors). The switch has no default, so a new {@link QueueError} does not compile until it is mapped here.
 */
public final class AwsErrors {
    public static final AwsError QUEUE_DOES_NOT_EXIST =
            AwsError.sender("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", 400);
    public static final AwsError QUEUE_NAME_EXISTS = AwsError.sender("QueueNameExists", "QueueAlreadyExists", 400);
    public static final AwsError QUEUE_DELETED_RECENTLY =
            AwsError.sender("QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently", 400);
    public static final AwsError PURGE_QUEUE_IN_PROGRESS =
            AwsError.sender("PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress", 403);
    public static final AwsError INVALID_ATTRIBUTE_NAME = AwsError.sender("InvalidAttributeName", 400);
    public static final AwsError INVALID_ATTRIBUTE_VALUE = AwsError.sender("InvalidAttributeValue", 400);
    public static final AwsError INVALID_PARAMETER_VALUE =
            AwsError.sender("InvalidParameterValueException", "InvalidParameterValue", 400);
    public static final AwsError MISSING_PARAMETER =
            AwsError.sender("MissingRequiredParameterException", "MissingParameter", 400);
    public static final AwsError INVALID_MESSAGE_CONTENTS = AwsError.sender("InvalidMessageContents", 400);
    public static final AwsError RECEIPT_HANDLE_IS_INVALID = AwsError.sender("ReceiptHandleIsInvalid", 404);
    public static final AwsError EMPTY_BATCH_REQUEST =
            AwsError.sender("EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest", 400);
    public static final AwsError TOO_MANY_ENTRIES_IN_BATCH_REQUEST =
            AwsError.sender("TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400);
    public static final AwsError BATCH_ENTRY_IDS_NOT_DISTINCT =
            AwsError.sender("BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400);
    public static final AwsError INVALID_BATCH_ENTRY_ID =
            AwsError.sender("InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId", 400);
    public static final AwsError BATCH_REQUEST_TOO_LONG =
            AwsError.sender("BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong", 400);
    public static final AwsError RESOURCE_NOT_FOUND = AwsError.sender("ResourceNotFoundException", 404);
    public static final AwsError INVALID_ADDRESS = AwsError.sender("InvalidAddress", 404);
    public static final AwsError INVALID_ACTION = AwsError.sender("InvalidAction", 400);
    public static final AwsError MISSING_ACTION = AwsError.sender("MissingAction", 400);
    /** JSON 1.0: an X-Amz-Target naming no operation. */
    public static final AwsError UNKNOWN_OPERATION = AwsError.sender("UnknownOperationException", "InvalidAction", 400);
    /** JSON 1.0: a body that is not a JSON object. */
    public static final AwsError SERIALIZATION = AwsError.sender("SerializationException", "MalformedInput", 400);

    // Authentication and authorization (SQS API reference, Common Errors; statuses as the query protocol sends them).
    public static final AwsError MISSING_AUTHENTICATION_TOKEN = AwsError.sender("MissingAuthenticationToken", 403);
    public static final AwsError INCOMPLETE_SIGNATURE = AwsError.sender("IncompleteSignature", 400);
    public static final AwsError INVALID_CLIENT_TOKEN_ID = AwsError.sender("InvalidClientTokenId", 403);
    public static final AwsError SIGNATURE_DOES_NOT_MATCH = AwsError.sender("SignatureDoesNotMatch", 403);
    /** JSON shape AccessDeniedException, query code AccessDenied (LocalStack's JSON_TO_QUERY_ERROR_CODES). */
    public static final AwsError ACCESS_DENIED = AwsError.sender("AccessDeniedException", "AccessDenied", 403);

    public static final AwsError OVER_LIMIT = AwsError.sender("OverLimit", 403);
    /**
     * A quota's limit reached (SQS API reference: RequestThrottled, an error of every action; the SDKs' models give it
     * the query code RequestThrottled and HTTP 403). botocore's retry rules for SQS match exactly this code with 403,
     * and botocore's standard mode, the Java SDK v2 and the JavaScript SDK v3 count it among their throttling codes, so
     * they retry it with their throttling backoff.
     */
    public static final AwsError REQUEST_THROTTLED = AwsError.sender("RequestThrottled", 403);

    public static final AwsError MALFORMED_QUERY_STRING = AwsError.sender("MalformedQueryString", 404);
    public static final AwsError INTERNAL_FAILURE = new AwsError("InternalFailure", "InternalFailure", 500, false);

    // Refusals of the HTTP layer, before a request reaches an action.
    /**
     * SQS Common Errors: a temporary failure of the server; here, too many request bodies being received at once, or
     * (PostgreSQL mode) the database cannot be reached.
     */
    public static final AwsError SERVICE_UNAVAILABLE =
            new AwsError("ServiceUnavailable", "ServiceUnavailable", 503, false);
    /** A body that did not arrive in time (S3's code for a client that sends too slowly). */
    public static final AwsError REQUEST_TIMEOUT = AwsError.sender("RequestTimeout", 408);
    /** A request HTTP itself refuses, such as an HTTP/1.1 request without a Host header. */
    public static final AwsError INVALID_REQUEST = AwsError.sender("InvalidRequest", 400);
    /** A body larger than any SQS request can be. */
    public static final AwsError REQUEST_ENTITY_TOO_LARGE = AwsError.sender("RequestEntityTooLarge", 413);

    private AwsErrors() {}

    public static AwsError of(QueueError error) {
        return switch (error) {
            case QUEUE_NOT_FOUND -> QUEUE_DOES_NOT_EXIST;
            case QUEUE_NAME_EXISTS -> QUEUE_NAME_EXISTS;
            case QUEUE_DELETED_RECENTLY -> QUEUE_DELETED_RECENTLY;
            case PURGE_IN_PROGRESS -> PURGE_QUEUE_IN_PROGRESS;
            case INVALID_ATTRIBUTE_NAME -> INVALID_ATTRIBUTE_NAME;
            case INVALID_ATTRIBUTE_VALUE -> INVALID_ATTRIBUTE_VALUE;
            case INVALID_PARAMETER_VALUE -> INVALID_PARAMETER_VALUE;
            case MISSING_PARAMETER -> MISSING_PARAMETER;
            case INVALID_MESSAGE_CONTENTS -> INVALID_MESSAGE_CONTENTS;
            case MESSAGE_TOO_LONG -> INVALID_PARAMETER_VALUE;
            case RECEIPT_HANDLE_INVALID -> RECEIPT_HANDLE_IS_INVALID;
            case RESOURCE_NOT_FOUND -> RESOURCE_NOT_FOUND;
            case OVER_LIMIT -> OVER_LIMIT;
            // Modelled for SendMessage, and retried by the SDKs (botocore's SQS retry policy, the Java SDK's
            // throttling codes) with their throttling back-off: a full server frees memory as consumers delete.
            case MEMORY_FULL -> REQUEST_THROTTLED;
            // SQS Common Errors: "The request has failed due to a temporary failure of the server" (503); every SDK
            // retries a 503.
            case UNAVAILABLE -> SERVICE_UNAVAILABLE;
        };
    }

    public static AwsError of(AuthError error) {
        return switch (error) {
            case MISSING_AUTHENTICATION_TOKEN -> MISSING_AUTHENTICATION_TOKEN;
            case INCOMPLETE_SIGNATURE -> INCOMPLETE_SIGNATURE;
            case INVALID_CLIENT_TOKEN_ID -> INVALID_CLIENT_TOKEN_ID;
            case SIGNATURE_DOES_NOT_MATCH -> SIGNATURE_DOES_NOT_MATCH;
            case ACCESS_DENIED -> ACCESS_DENIED;
        };
    }

    /** The AWS error for any failure a handler can raise; unknown ones are internal failures. */
    public static AwsException translate(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException
                        || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return switch (cause) {
            case AwsException aws -> aws;
            case QueueException queue -> new AwsException(of(queue.error()), queue.getMessage());
            case AuthException auth -> new AwsException(of(auth.error()), auth.getMessage());
            default -> null;
        };
    }

    static AwsException invalidParameter(String message) {
        return new AwsException(INVALID_PARAMETER_VALUE, message);
    }

    static AwsException missingParameter(String name) {
        return new AwsException(MISSING_PARAMETER, "The request must contain the parameter " + name + ".");
    }
}
