package dev.sluice.protocol;

import dev.sluice.api.AwsErrors;
import dev.sluice.api.AwsException;
import dev.sluice.api.Caller;
import dev.sluice.api.Params;
import dev.sluice.api.SqsApi;
import dev.sluice.protocol.json.JsonProtocol;
import dev.sluice.protocol.query.QueryProtocol;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where an HTTP request becomes an SQS call: picks the protocol ({@code X-Amz-Target} means JSON 1.0, anything else
 * the query protocol), decodes, invokes the API and encodes the outcome. Every failure becomes an AWS error reply; one
 * that is not an AWS error is an InternalFailure (500), logged once with its request id.
 */
public final class SqsEndpoint {
    private static final Logger LOG = Logger.getLogger(SqsEndpoint.class.getName());

    private final SqsApi api;
    private final Admission admission;
    private final SqsProtocol json = new JsonProtocol();
    private final SqsProtocol query = new QueryProtocol();

    /**
     * A check of a decoded request before its action runs (the queue it names is known only once the body is
     * decoded): per-queue quotas. It refuses by throwing an {@link AwsException}.
     */
    @FunctionalInterface
    public interface Admission {
        Admission NONE = (action, caller, params) -> {};

        void admit(String action, Caller caller, Params params);
    }

    public SqsEndpoint(SqsApi api) {
        this(api, Admission.NONE);
    }

    public SqsEndpoint(SqsApi api, Admission admission) {
        this.api = api;
        this.admission = admission;
    }

    /**
     * The outcome of one request: the reply, and for request logs the action and queue it named (or null). The queue
     * is worked out only when asked for, so a server that logs no requests does not parse the queue URL twice.
     */
    public record Outcome(String action, Supplier<String> namedQueue, HttpReply reply) {
        public String queue() {
            return namedQueue == null ? null : namedQueue.get();
        }
    }

    public CompletionStage<Outcome> handle(WireRequest request, Caller caller, String requestId) {
        return handle(request, caller, requestId, Runnable::run);
    }

    /**
     * Handles the request and encodes its reply on {@code replies}: the server passes the request's own event loop, so
     * replies are encoded in parallel there rather than on the thread that completed the engine's stage (the journal's
     * single writer thread, for every durable request).
     */
    public CompletionStage<Outcome> handle(WireRequest request, Caller caller, String requestId, Executor replies) {
        SqsProtocol protocol = request.header("x-amz-target") != null ? json : query;
        SqsProtocol.Decoded decoded;
        try {
            decoded = protocol.decode(request);
            if (protocol == json && !api.knows(decoded.action())) {
                throw new AwsException(
                        AwsErrors.UNKNOWN_OPERATION,
                        "The operation " + request.header("x-amz-target") + " is not known.");
            }
        } catch (AwsException e) {
            HttpReply reply = e.error() == AwsErrors.MISSING_ACTION && caller.pathQueueUrl() != null
                    ? QueryProtocol.unknownOperation(requestId)
                    : failure(protocol, e, request, requestId);
            return CompletableFuture.completedFuture(new Outcome(null, null, reply));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new Outcome(null, null, failure(protocol, e, request, requestId)));
        }
        String action = decoded.action();
        Supplier<String> queue = () -> queueName(decoded, caller);
        try {
            admission.admit(action, caller, decoded.params());
        } catch (AwsException e) {
            return CompletableFuture.completedFuture(new Outcome(action, queue, protocol.error(e, request, requestId)));
        }
        // X-Ray: the X-Amzn-Trace-Id header is the AWSTraceHeader of the messages a send carries (SendMessage*).
        String traceHeader = request.header("x-amzn-trace-id");
        Params params =
                traceHeader == null ? decoded.params() : decoded.params().withTraceHeader(traceHeader);
        return api.invoke(action, caller, params)
                .handleAsync(
                        (result, failure) -> new Outcome(
                                action,
                                queue,
                                failure == null
                                        ? encode(protocol, action, caller, decoded, result, request, requestId)
                                        : failure(protocol, failure, request, requestId)),
                        replies);
    }

    /**
     * The result in the protocol's shape. Should that ever fail (stored data the encoder cannot write), the failure
     * is logged with the request id, the caller gets an InternalFailure in its protocol rather than an empty 500, and
     * the action undoes what the lost result handed out: a receive's messages become receivable again, the receive
     * not counted toward maxReceiveCount, so they are not dead-lettered for a reply nobody got.
     */
    private HttpReply encode(
            SqsProtocol protocol,
            String action,
            Caller caller,
            SqsProtocol.Decoded decoded,
            Map<String, Object> result,
            WireRequest request,
            String requestId) {
        try {
            return protocol.result(action, result, request, requestId);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "request " + requestId + ": the " + action + " reply could not be encoded", e);
            api.undelivered(action, caller, decoded.params(), result);
            return protocol.error(internalFailure(), request, requestId);
        }
    }

    private static AwsException internalFailure() {
        return new AwsException(AwsErrors.INTERNAL_FAILURE, "We encountered an internal error. Please try again.");
    }

    /** The reply to a request refused before any action ran (authentication), in the request's own protocol. */
    public HttpReply reject(WireRequest request, AwsException error, String requestId) {
        SqsProtocol protocol = request.header("x-amz-target") != null ? json : query;
        return protocol.error(error, request, requestId);
    }

    /** The queue a request names, for the request log only; never fails. */
    private static String queueName(SqsProtocol.Decoded decoded, Caller caller) {
        try {
            String name = decoded.params().string("QueueName");
            if (name != null) {
                return name;
            }
            String url = decoded.params().string("QueueUrl");
            return url != null || caller.pathQueueUrl() != null
                    ? caller.queueKey(url).name()
                    : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static HttpReply failure(SqsProtocol protocol, Throwable failure, WireRequest request, String requestId) {
        AwsException error = AwsErrors.translate(failure);
        if (error == null) {
            LOG.log(Level.SEVERE, "request " + requestId + " failed", failure);
            error = internalFailure();
        }
        return protocol.error(error, request, requestId);
    }
}
