package dev.sluice.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sluice.queues.MessageMoveTask;
import dev.sluice.queues.MoveTaskStatus;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Queues;
import dev.sluice.queues.rules.QueueArn;
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
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Redrive from a dead-letter queue: message move tasks (StartMessageMoveTask, ListMessageMoveTasks,
 * CancelMessageMoveTask) on the queue in the path, which must be some queue's dead-letter queue.
 */
@Path("/admin/queues/{accountId}/{queueName}/move-tasks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Redrive")
public class MoveTaskResource {
    private final Queues queues;
    private final QueueActions actions;

    MoveTaskResource(Queues queues, QueueActions actions) {
        this.queues = queues;
        this.actions = actions;
    }

    /** A move task and its progress; taskHandle is present while it runs. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MoveTaskView(
            String taskHandle,
            String status,
            String sourceArn,
            String destinationArn,
            Integer maxNumberOfMessagesPerSecond,
            long approximateNumberOfMessagesMoved,
            long approximateNumberOfMessagesToMove,
            String failureReason,
            Instant started) {

        static MoveTaskView of(MessageMoveTask task) {
            return new MoveTaskView(
                    task.status() == MoveTaskStatus.RUNNING ? task.taskHandle() : null,
                    task.status().name(),
                    task.sourceArn(),
                    task.destinationArn(),
                    task.maxNumberOfMessagesPerSecond(),
                    task.approximateNumberOfMessagesMoved(),
                    task.approximateNumberOfMessagesToMove(),
                    task.failureReason(),
                    task.started());
        }
    }

    /** Where to move: without destinationArn each message goes back to the queue it came from. */
    public record StartMoveTask(String destinationArn, Integer maxNumberOfMessagesPerSecond) {}

    public record Started(String taskHandle) {}

    public record Cancelled(long approximateNumberOfMessagesMoved) {}

    @GET
    @Operation(summary = "The queue's move tasks, newest first")
    public CompletionStage<List<MoveTaskView>> list(
            @PathParam("accountId") String accountId,
            @PathParam("queueName") String queueName,
            @QueryParam("region") String region,
            @Context RoutingContext context) {
        QueueKey key = AdminGate.principal(context).authorize(actions.key(region, accountId, queueName));
        return queues.listMessageMoveTasks(key, 10)
                .thenApply(tasks -> tasks.stream().map(MoveTaskView::of).toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start moving the dead-letter queue's messages back to their source queues (or elsewhere)")
    public CompletionStage<Started> start(
            @PathParam("accountId") String accountId,
            @PathParam("queueName") String queueName,
            @QueryParam("region") String region,
            StartMoveTask request,
            @Context RoutingContext context) {
        Principal principal = AdminGate.principal(context);
        QueueKey source = principal.authorize(actions.key(region, accountId, queueName));
        String destinationArn = request == null ? null : request.destinationArn();
        QueueKey destination = null;
        if (destinationArn != null) {
            QueueArn parsed = QueueArn.parse(destinationArn);
            if (parsed == null) {
                throw ProblemException.invalid("destinationArn is not a queue ARN: " + destinationArn);
            }
            destination = principal.authorize(parsed.key());
        }
        return queues.startMessageMoveTask(new dev.sluice.queues.StartMoveTask(
                        source,
                        actions.queueArn(source, context.request()),
                        destination,
                        destinationArn,
                        request == null ? null : request.maxNumberOfMessagesPerSecond()))
                .thenApply(Started::new);
    }

    @POST
    @Path("/{taskHandle}/cancel")
    @Operation(summary = "Cancel a running move task; messages already moved stay where they are")
    public CompletionStage<Cancelled> cancel(
            @PathParam("accountId") String accountId,
            @PathParam("queueName") String queueName,
            @QueryParam("region") String region,
            @PathParam("taskHandle") String taskHandle,
            @Context RoutingContext context) {
        QueueKey source = AdminGate.principal(context).authorize(actions.key(region, accountId, queueName));
        return queues.listMessageMoveTasks(source, Integer.MAX_VALUE).thenCompose(tasks -> {
            if (tasks.stream().noneMatch(task -> task.taskHandle().equals(taskHandle))) {
                throw ProblemException.notFound("the queue has no move task " + taskHandle);
            }
            return queues.cancelMessageMoveTask(taskHandle).thenApply(Cancelled::new);
        });
    }
}
