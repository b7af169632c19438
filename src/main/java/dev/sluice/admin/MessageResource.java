package dev.sluice.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sluice.queues.MessageAttribute;
import dev.sluice.queues.PeekRequest;
import dev.sluice.queues.PeekedMessage;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Queues;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A queue's messages: peek (a look that receives nothing, so no visibility or receive count changes) and send.
 */
@Path("/admin/queues/{accountId}/{queueName}/messages")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Messages")
public class MessageResource {
    private final Queues queues;
    private final QueueActions actions;

    MessageResource(Queues queues, QueueActions actions) {
        this.queues = queues;
        this.actions = actions;
    }

    /** A message attribute: its data type (String, Number, Binary, with an optional .label) and one value. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Attribute(String dataType, String stringValue, byte[] binaryValue) {}

    /** A message as peek sees it; state is visible, inFlight or delayed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MessageView(
            String messageId,
            String body,
            Map<String, Attribute> messageAttributes,
            String messageGroupId,
            String messageDeduplicationId,
            String sequenceNumber,
            String deadLetterSourceQueue,
            String state,
            int receiveCount,
            Instant sent,
            Instant firstReceived,
            Instant visibleAt) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Page(List<MessageView> messages, String next) {}

    /** A message to send; delaySeconds, the FIFO ids and attributes as in SendMessage. */
    public record NewMessage(
            String body,
            Integer delaySeconds,
            String messageGroupId,
            String messageDeduplicationId,
            Map<String, Attribute> messageAttributes) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sent(
            String messageId, String md5OfMessageBody, String md5OfMessageAttributes, String sequenceNumber) {}

    @GET
    @Operation(
            summary = "Peek: the queue's messages, oldest first, without receiving them (limit 1-100, default 20;"
                    + " state visible, inFlight or delayed; next continues)")
    public CompletionStage<Page> peek(
            @PathParam("accountId") String accountId,
            @PathParam("queueName") String queueName,
            @QueryParam("region") String region,
            @QueryParam("limit") String limit,
            @QueryParam("next") String next,
            @QueryParam("state") String state,
            @Context RoutingContext context) {
        QueueKey key = AdminGate.principal(context).authorize(actions.key(region, accountId, queueName));
        return queues.peek(
                        key,
                        new PeekRequest(
                                Limits.pageSize(limit, "limit", 20, 100),
                                Optional.ofNullable(next).filter(token -> !token.isEmpty()),
                                Optional.ofNullable(state)
                                        .filter(name -> !name.isEmpty())
                                        .map(MessageResource::stateOf)))
                .thenApply(page -> new Page(
                        page.messages().stream().map(MessageResource::view).toList(), page.nextToken()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send a message (the rules of SendMessage apply)")
    public CompletionStage<Sent> send(
            @PathParam("accountId") String accountId,
            @PathParam("queueName") String queueName,
            @QueryParam("region") String region,
            NewMessage message,
            @Context RoutingContext context) {
        Principal principal = AdminGate.principal(context);
        QueueKey key = principal.authorize(actions.key(region, accountId, queueName));
        if (message == null || message.body() == null) {
            throw ProblemException.invalid("a message needs a body");
        }
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("MessageBody", message.body());
        members.put("DelaySeconds", message.delaySeconds());
        members.put("MessageGroupId", message.messageGroupId());
        members.put("MessageDeduplicationId", message.messageDeduplicationId());
        if (message.messageAttributes() != null) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            message.messageAttributes().forEach((name, value) -> attributes.put(name, sqsAttribute(name, value)));
            members.put("MessageAttributes", attributes);
        }
        return actions.send(principal, key, context.request(), members)
                .thenApply(result -> new Sent(
                        (String) result.get("MessageId"),
                        (String) result.get("MD5OfMessageBody"),
                        (String) result.get("MD5OfMessageAttributes"),
                        (String) result.get("SequenceNumber")));
    }

    private static Map<String, Object> sqsAttribute(String name, Attribute value) {
        if (value == null) {
            throw ProblemException.invalid("message attribute " + name + " has no value");
        }
        Map<String, Object> sqs = new LinkedHashMap<>();
        sqs.put("DataType", value.dataType());
        sqs.put("StringValue", value.stringValue());
        if (value.binaryValue() != null) {
            sqs.put("BinaryValue", Base64.getEncoder().encodeToString(value.binaryValue()));
        }
        return sqs;
    }

    private static PeekedMessage.State stateOf(String name) {
        return switch (name) {
            case "visible" -> PeekedMessage.State.VISIBLE;
            case "inFlight" -> PeekedMessage.State.IN_FLIGHT;
            case "delayed" -> PeekedMessage.State.DELAYED;
            default -> throw ProblemException.invalid("state is visible, inFlight or delayed, not '" + name + "'");
        };
    }

    private static MessageView view(PeekedMessage message) {
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        message.messageAttributes().forEach((name, value) -> attributes.put(name, attribute(value)));
        return new MessageView(
                message.messageId(),
                message.body(),
                attributes,
                message.messageGroupId(),
                message.messageDeduplicationId(),
                message.sequenceNumber(),
                message.deadLetterSourceQueue() == null
                        ? null
                        // In the dead-letter queue's own region, as SQS requires.
                        : message.deadLetterSourceQueue().accountId() + "/"
                                + message.deadLetterSourceQueue().name(),
                switch (message.state()) {
                    case VISIBLE -> "visible";
                    case IN_FLIGHT -> "inFlight";
                    case DELAYED -> "delayed";
                },
                message.receiveCount(),
                message.sent(),
                message.firstReceived(),
                message.visibleAt());
    }

    private static Attribute attribute(MessageAttribute value) {
        return new Attribute(value.dataType(), value.stringValue(), value.binaryValue());
    }
}
